"""Funders' API (DESIGN §2.8): supplementary credits to a holder, and what became of the money credited.

Only a signed-in funder acting for an organisation may call it (403 for anyone else, 401 without a token)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.schemas import BODY_ERRORS, SIGNED_IN, Detail, Id, IsoDate, Money, Name
from opencpf.funders import selectors, services

router = Router(tags=["Funders"], auth=bearer)


def _organisation(request):
    organisation = selectors.funder_of(request.auth)
    if organisation is None:
        raise PermissionDenied(_("This is for funders."))
    return organisation


class CreditIn(Schema):
    nir: str = Field(max_length=30)
    last_name: Name = Field(max_length=150, description="The holder's birth name, as on their civil status.")
    amount: Decimal = Field(description='Euros, at most two decimals, e.g. "500.00".')
    earmark_certifications: list[str] = Field(default_factory=list, max_length=50, description='e.g. ["RNCP37274"]')
    earmark_offers: list[Id] = Field(default_factory=list, max_length=50, description="Catalogue offer ids.")
    expires_on: IsoDate | None = None
    return_unused: bool = Field(False, description="Unused money goes back to the funder at expiry (needs a date).")


class CreditOut(Schema):
    id: int
    top_up_id: int
    holder_name: str
    amount: Money
    remaining: Money
    earmark_certifications: list[str]
    earmark_offers: list[int]
    expires_on: datetime.date | None
    return_unused: bool


class MoneyOut(Schema):
    credited: Money
    used: Money
    expired: Money
    returned: Money
    available: Money


class HolderOut(MoneyOut):
    holder_id: int
    name: str


class ReportOut(Schema):
    total: MoneyOut
    holders: list[HolderOut]


@router.post(
    "/funder/credits",
    response={201: CreditOut, **BODY_ERRORS, **SIGNED_IN, 403: Detail},
    summary="Credit supplementary rights to a holder (NIR and birth name)",
    description=(
        "The holder is designated by `nir` and `last_name` (birth name): a mismatch answers as an unknown NIR. "
        "Earmarks must name known certifications or offers; `return_unused` needs `expires_on`."
    ),
)
def credit(request, payload: CreditIn):
    organisation = _organisation(request)
    try:
        created = services.credit_add(
            organisation=organisation,
            user=request.auth,
            nir=payload.nir,
            last_name=payload.last_name,
            amount=payload.amount,
            earmark_certifications=payload.earmark_certifications,
            earmark_offers=payload.earmark_offers,
            expires_on=payload.expires_on,
            return_unused=payload.return_unused,
        )
    except services.CreditError as error:
        raise ApiError(400, error.errors)
    top_up = created.top_up
    return Status(
        201,
        {
            "id": created.pk,
            "top_up_id": top_up.pk,
            "holder_name": top_up.holder.full_name,
            "amount": top_up.amount,
            "remaining": top_up.remaining,
            "earmark_certifications": top_up.earmark_certifications,
            "earmark_offers": top_up.earmark_offers,
            "expires_on": top_up.expires_on,
            "return_unused": top_up.return_unused,
        },
    )


def _money(line: selectors.MoneyLine) -> dict:
    return {
        "credited": line.credited,
        "used": line.used,
        "expired": line.expired,
        "returned": line.returned,
        "available": line.available,
    }


@router.get(
    "/funder/report",
    response={200: ReportOut, **SIGNED_IN, 403: Detail},
    summary="What became of the money credited: per holder and in total",
)
def report(request):
    result = selectors.funder_report(_organisation(request))
    return {
        "total": _money(result.total),
        "holders": [{"holder_id": line.holder_id, "name": line.name, **_money(line.money)} for line in result.holders],
    }


# --- file top-ups ---------------------------------------------------------------------------------------------


class FileRequestOut(Schema):
    id: int
    dossier_id: int
    holder_name: str
    training: str
    status: str
    amount_asked: Money
    amount_granted: Money | None
    message: str
    reason: str
    created_at: datetime.datetime


class GrantIn(Schema):
    amount: Decimal


class RefuseIn(Schema):
    reason: str = Field(max_length=1000)


def _request_out(item) -> dict:
    return {
        "id": item.pk,
        "dossier_id": item.dossier_id,
        "holder_name": item.holder.full_name,
        "training": item.dossier.offer.title,
        "status": item.status,
        "amount_asked": item.amount_asked,
        "amount_granted": item.amount_granted,
        "message": item.message,
        "reason": item.reason,
        "created_at": item.created_at,
    }


@router.get(
    "/funder/file-requests",
    response={200: list[FileRequestOut], **SIGNED_IN, 403: Detail},
    summary="File top-up requests sent to the funder, those awaiting an answer first",
)
def file_requests(request):
    organisation = _organisation(request)
    items = selectors.file_requests_for(organisation)
    return [_request_out(item) for item in items]


def _answer(request, request_id: int, act) -> dict:
    _organisation(request)
    try:
        answered = act()
    except services.CreditError as error:
        raise ApiError(400, error.errors)
    answered.refresh_from_db()
    return _request_out(answered)


@router.post(
    "/funder/file-requests/{request_id}/grant",
    response={200: FileRequestOut, **BODY_ERRORS, **SIGNED_IN, 403: Detail, 404: Detail},
    summary="Cover `amount` of the file (at most what is left to cover): a file top-up, used last at acceptance",
)
def grant_file_request(request, request_id: Id, payload: GrantIn):
    return _answer(
        request,
        request_id,
        lambda: services.file_top_up_grant(user=request.auth, request_id=request_id, amount=payload.amount),
    )


@router.post(
    "/funder/file-requests/{request_id}/refuse",
    response={200: FileRequestOut, **BODY_ERRORS, **SIGNED_IN, 403: Detail, 404: Detail},
    summary="Refuse a file top-up request, with a reason for the holder",
)
def refuse_file_request(request, request_id: Id, payload: RefuseIn):
    return _answer(
        request,
        request_id,
        lambda: services.file_top_up_refuse(user=request.auth, request_id=request_id, reason=payload.reason),
    )
