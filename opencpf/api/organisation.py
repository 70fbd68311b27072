"""The organisation's catalogue through the API (what /organisme/ does on the web): its offers and sessions, listed
with filters and a cursor, created, edited, published and closed. Roles are checked by the services."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opencpf.accounts.enums import Role
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.pagination import CursorQuery, paginate
from opencpf.api.schemas import Detail, Errors, Id, IsoDate, Money, StrictIn
from opencpf.catalogue.enums import Modality
from opencpf.catalogue.models import Offer, Organisation, Session
from opencpf.catalogue.services import offers as services
from opencpf.dossiers import statements
from opencpf.dossiers.models import OrganisationPaymentStatus
from opencpf.dossiers.selectors import organisation_ids_of
from opencpf.utils.client import client_ip

router = Router(tags=["Organisation: catalogue"], auth=bearer)

READ = {400: Errors, 401: Detail, 403: Detail}
WRITE = {400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail, 422: Detail}


class OfferIn(StrictIn):
    organisation_id: Id | None = Field(None, description="Needed only when you act for several organisations")
    certification: str = Field(max_length=32, examples=["RNCP37274"])
    title: str = Field(max_length=300)
    price: Decimal = Field(description="Euros incl. tax, above 0, two decimals at most", examples=["1200.00"])
    hours: Decimal = Field(examples=["35"])
    modality: Literal[tuple(Modality.values)] = Modality.ON_SITE  # type: ignore[valid-type]
    external_number: str = Field("", max_length=64)
    summary: str = Field("", max_length=20_000)
    objectives: str = Field("", max_length=20_000)
    prerequisites: str = Field("", max_length=20_000)
    programme: str = Field("", max_length=20_000)
    expected_results: str = Field("", max_length=20_000)


class OfferPatch(StrictIn):
    certification: str | None = Field(None, max_length=32)
    title: str | None = Field(None, max_length=300)
    price: Decimal | None = None
    hours: Decimal | None = None
    modality: Literal[tuple(Modality.values)] | None = None  # type: ignore[valid-type]
    summary: str | None = Field(None, max_length=20_000)
    objectives: str | None = Field(None, max_length=20_000)
    prerequisites: str | None = Field(None, max_length=20_000)
    programme: str | None = Field(None, max_length=20_000)
    expected_results: str | None = Field(None, max_length=20_000)


class OrgOfferOut(Schema):
    id: int
    organisation_id: int
    external_number: str
    certification: str
    title: str
    price: Money
    hours: Decimal
    modality: str
    published: bool
    delisted: bool
    summary: str
    objectives: str
    prerequisites: str
    programme: str
    expected_results: str


class OrgOffersOut(Schema):
    count: int
    next_cursor: str | None
    results: list[OrgOfferOut]


class OffersQuery(CursorQuery):
    status: Literal["published", "closed"] | None = None
    q: str | None = Field(None, max_length=200, description="Words of the title, or the training number")
    organisation_id: Id | None = None


class SessionIn(StrictIn):
    start_date: IsoDate
    end_date: IsoDate
    remote: bool = False
    postal_code: str = Field("", max_length=10)
    city: str = Field("", max_length=120)
    seats: int | None = Field(None, ge=1, le=100_000)


class SessionPatch(StrictIn):
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    remote: bool | None = None
    postal_code: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=120)
    seats: int | None = Field(None, ge=1, le=100_000)


class OrgSessionOut(Schema):
    id: int
    offer_id: int
    start_date: datetime.date
    end_date: datetime.date
    remote: bool
    postal_code: str
    city: str
    seats: int | None
    open: bool


class OrgSessionsOut(Schema):
    count: int
    next_cursor: str | None
    results: list[OrgSessionOut]


class SessionsQuery(CursorQuery):
    status: Literal["open", "closed"] | None = None
    start_after: IsoDate | None = None


def _staff(request) -> list[int]:
    user = request.auth
    ids = organisation_ids_of(user) if user.role == Role.ORGANISATION_STAFF else []
    if not ids:
        raise PermissionDenied(_("This is for the staff of a training organisation."))
    return ids


def _organisation(request, organisation_id: int | None) -> Organisation:
    ids = _staff(request)
    if organisation_id is None:
        if len(ids) > 1:
            raise ApiError(400, {"organisation_id": [_("You act for several organisations: say which one.")]})
        organisation_id = ids[0]
    if organisation_id not in ids:
        raise ApiError(400, {"organisation_id": [_("You do not act for this organisation.")]})
    return Organisation.objects.get(pk=organisation_id)


def _offer_json(offer: Offer) -> dict:
    return {
        "id": offer.pk,
        "organisation_id": offer.organisation_id,
        "external_number": offer.external_number,
        "certification": offer.certification.code,
        "title": offer.title,
        "price": offer.price,
        "hours": offer.hours,
        "modality": offer.modality,
        "published": offer.is_active,
        "delisted": offer.delisted_at is not None,
        "summary": offer.summary,
        "objectives": offer.objectives,
        "prerequisites": offer.prerequisites,
        "programme": offer.programme,
        "expected_results": offer.expected_results,
    }


def _session_json(session: Session) -> dict:
    return {
        "id": session.pk,
        "offer_id": session.offer_id,
        "start_date": session.start_date,
        "end_date": session.end_date,
        "remote": session.is_remote,
        "postal_code": session.postal_code,
        "city": session.city,
        "seats": session.seats,
        "open": session.is_active,
    }


def _own_offer(request, offer_id: int) -> Offer:
    offer = Offer.objects.select_related("certification").filter(pk=offer_id, organisation_id__in=_staff(request))
    if (found := offer.first()) is None:
        raise Http404
    return found


def _act(call):
    """Run a service; another organisation's offer or session is a 404, as if it did not exist."""
    try:
        return call()
    except (Offer.DoesNotExist, Session.DoesNotExist):
        raise Http404


@router.get("/organisation/offers", response={200: OrgOffersOut, **READ}, summary="My organisation's offers")
def list_offers(request, query: Query[OffersQuery]):
    ids = _staff(request)
    offers = Offer.objects.filter(organisation_id__in=ids).select_related("certification")
    if query.organisation_id:
        offers = offers.filter(organisation_id=query.organisation_id)
    if query.status:
        offers = offers.filter(is_active=query.status == "published")
    if query.q and query.q.strip():
        offers = offers.filter(Q(title__icontains=query.q.strip()) | Q(external_number=query.q.strip()))
    items, cursor, count = paginate(offers, query)
    return {"count": count, "next_cursor": cursor, "results": [_offer_json(o) for o in items]}


@router.post("/organisation/offers", response={201: OrgOfferOut, **WRITE}, summary="Create an offer (unpublished)")
def create_offer(request, payload: OfferIn):
    organisation = _organisation(request, payload.organisation_id)
    texts = payload.dict(include={"summary", "objectives", "prerequisites", "programme", "expected_results"})
    offer = services.offer_create(
        actor=request.auth,
        organisation=organisation,
        certification_code=payload.certification,
        title=payload.title,
        price=payload.price,
        hours=payload.hours,
        modality=payload.modality,
        external_number=payload.external_number,
        ip=client_ip(request),
        **texts,
    )
    return Status(201, _offer_json(offer))


@router.get(
    "/organisation/offers/{offer_id}", response={200: OrgOfferOut, 400: Errors, 401: Detail, 403: Detail, 404: Detail}
)
def get_offer(request, offer_id: Id):
    return _offer_json(_own_offer(request, offer_id))


@router.patch("/organisation/offers/{offer_id}", response={200: OrgOfferOut, **WRITE}, summary="Edit an offer")
def update_offer(request, offer_id: Id, payload: OfferPatch):
    fields = payload.dict(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise ApiError(400, {name: [_("This field cannot be empty.")] for name, v in fields.items() if v is None})
    if "certification" in fields:
        fields["certification_code"] = fields.pop("certification")
    _own_offer(request, offer_id)
    offer = _act(lambda: services.offer_update(actor=request.auth, offer_id=offer_id, ip=client_ip(request), **fields))
    return _offer_json(offer)


@router.post("/organisation/offers/{offer_id}/publish", response={200: OrgOfferOut, **WRITE}, summary="Publish")
def publish_offer(request, offer_id: Id):
    _own_offer(request, offer_id)
    return _offer_json(
        _act(lambda: services.offer_publish(actor=request.auth, offer_id=offer_id, ip=client_ip(request)))
    )


@router.post("/organisation/offers/{offer_id}/close", response={200: OrgOfferOut, **WRITE}, summary="Close")
def close_offer(request, offer_id: Id):
    _own_offer(request, offer_id)
    return _offer_json(
        _act(lambda: services.offer_close(actor=request.auth, offer_id=offer_id, ip=client_ip(request)))
    )


@router.get(
    "/organisation/offers/{offer_id}/sessions",
    response={200: OrgSessionsOut, 404: Detail, **READ},
    summary="Sessions of an offer",
)
def list_sessions(request, offer_id: Id, query: Query[SessionsQuery]):
    offer = _own_offer(request, offer_id)
    sessions = Session.objects.filter(offer=offer)
    if query.status:
        sessions = sessions.filter(is_active=query.status == "open")
    if query.start_after:
        sessions = sessions.filter(start_date__gte=query.start_after)
    items, cursor, count = paginate(sessions, query)
    return {"count": count, "next_cursor": cursor, "results": [_session_json(s) for s in items]}


@router.post(
    "/organisation/offers/{offer_id}/sessions", response={201: OrgSessionOut, **WRITE}, summary="Add a session"
)
def create_session(request, offer_id: Id, payload: SessionIn):
    _own_offer(request, offer_id)
    session = _act(
        lambda: services.session_create(
            actor=request.auth,
            offer_id=offer_id,
            start_date=payload.start_date,
            end_date=payload.end_date,
            is_remote=payload.remote,
            postal_code=payload.postal_code,
            city=payload.city,
            seats=payload.seats,
            ip=client_ip(request),
        )
    )
    return Status(201, _session_json(session))


def _own_session(request, session_id: int) -> Session:
    session = Session.objects.filter(pk=session_id, offer__organisation_id__in=_staff(request)).first()
    if session is None:
        raise Http404
    return session


@router.patch("/organisation/sessions/{session_id}", response={200: OrgSessionOut, **WRITE}, summary="Edit a session")
def update_session(request, session_id: Id, payload: SessionPatch):
    _own_session(request, session_id)
    fields = payload.dict(exclude_unset=True)
    if "remote" in fields:
        fields["is_remote"] = fields.pop("remote")
    nullable = {"seats"}
    if any(value is None for name, value in fields.items() if name not in nullable):
        raise ApiError(400, {n: [_("This field cannot be empty.")] for n, v in fields.items() if v is None})
    session = _act(
        lambda: services.session_update(actor=request.auth, session_id=session_id, ip=client_ip(request), **fields)
    )
    return _session_json(session)


@router.post(
    "/organisation/sessions/{session_id}/close", response={200: OrgSessionOut, **WRITE}, summary="Close a session"
)
def close_session(request, session_id: Id):
    _own_session(request, session_id)
    session = _act(lambda: services.session_close(actor=request.auth, session_id=session_id, ip=client_ip(request)))
    return _session_json(session)


# Payments ------------------------------------------------------------------------------------------------------


class PaymentsQuery(CursorQuery):
    status: Literal[tuple(OrganisationPaymentStatus.values)] | None = None  # type: ignore[valid-type]
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM: paid (or due) that month")


class PaymentOut(Schema):
    id: int
    dossier_id: int
    organisation_id: int
    training: str
    reason: str
    status: str
    amount: Money
    from_rights: Money
    from_card: Money
    due_on: datetime.date
    paid_at: datetime.datetime | None
    reference: str


class MonthTotalOut(Schema):
    month: str
    count: int
    paid: Money
    waiting: Money


class PaymentsOut(Schema):
    count: int
    next_cursor: str | None
    totals: list[MonthTotalOut]
    results: list[PaymentOut]


def _payment_json(payment) -> dict:
    return {
        "id": payment.pk,
        "dossier_id": payment.dossier_id,
        "organisation_id": payment.organisation_id,
        "training": payment.dossier.offer_title,
        "reason": payment.ending,
        "status": payment.status,
        "amount": payment.amount,
        "from_rights": payment.from_rights,
        "from_card": payment.from_card,
        "due_on": payment.due_on,
        "paid_at": payment.paid_at,
        "reference": payment.reference,
    }


@router.get(
    "/organisation/payments",
    response={200: PaymentsOut, **READ},
    summary="Payments to my organisation, with totals per month",
)
def list_payments(request, query: Query[PaymentsQuery]):
    _staff(request)
    month = None
    if query.month:
        try:
            month = datetime.date.fromisoformat(query.month + "-01")
        except ValueError:
            raise ApiError(400, {"month": [_("Enter a month as YYYY-MM.")]})
    payments = statements.payments_for(request.auth, status=query.status, month=month)
    items, cursor, count = paginate(payments, query)
    totals = [{**row, "month": row["month"].strftime("%Y-%m")} for row in statements.monthly_totals(payments)]
    return {"count": count, "next_cursor": cursor, "totals": totals, "results": [_payment_json(p) for p in items]}


@router.get(
    "/organisation/payments/{payment_id}/statement.csv",
    response={200: None, 400: Errors, 401: Detail, 403: Detail, 404: Detail},
    summary="Statement of one payment (semicolon CSV)",
)
def payment_statement(request, payment_id: Id):
    _staff(request)
    payment = statements.payments_for(request.auth).filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    response = HttpResponse(statements.statement_csv(payment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="paiement-{payment.pk}.csv"'
    return response
