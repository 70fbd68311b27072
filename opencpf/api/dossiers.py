"""Training files API (DESIGN §4): the holder registers, accepts and pays, cancels, evaluates; the organisation
proposes, refuses, declares entry, exit, no-show or abandonment, cancels. Every file's JSON shows its state and
its deadlines as ISO dates; money is a decimal string ("123.45").

A file is visible to its holder, to the members of its organisation and to agents; anyone else gets 404.
A side that may see the file but not take that action gets 403; an action not possible in the file's state (or
after its deadline) gets 409 with a message; bad input gets 400 with messages per field; a declined card 402.

Acceptance pays by card in the same request: `POST /dossiers/{id}/accept` with `card` (the built-in provider
is a SANDBOX: 4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 declined; no money moves). Read the split first
with `GET /dossiers/{id}/funding` and send back its `card_amount` as `expected_card_amount`: if the split changed
meanwhile the acceptance is refused (409) instead of charging another amount. No card is needed when nothing is
to be paid (exempt holder whose rights cover the price).
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opencpf.accounts.enums import Role
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.dossiers import rules, selectors, services
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.dossiers.models import Dossier, OrganisationPayment
from opencpf.dossiers.payments import InvalidCard, card_from_input
from opencpf.utils.client import client_info

router = Router(tags=["Training files"])
PAGE_SIZE = 50

# The API's action names for the moves of the table.
ACTION_NAMES = {
    Action.ACCEPT: "accept",
    Action.CANCEL_BY_HOLDER: "cancel",
    Action.CANCEL_BY_ORGANISATION: "cancel",
    Action.PROPOSE: "propose",
    Action.REFUSE: "refuse",
    Action.DECLARE_ENTRY: "declare-entry",
    Action.DECLARE_EXIT: "declare-exit",
    Action.DECLARE_NO_SHOW: "declare-no-show",
    Action.DECLARE_ABANDONMENT: "declare-abandonment",
    Action.PAY: "pay",
}


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


class Errors(Schema):
    errors: dict[str, list[str]]


class Detail(Schema):
    detail: str


class OrganisationOut(Schema):
    id: int
    name: str


class HolderOut(Schema):
    id: int
    name: str


class ProposalOut(Schema):
    price: str
    start: datetime.date
    end: datetime.date
    message: str


class BucketOut(Schema):
    bucket: str = Field(description='"acquired", or the id of a top-up')
    kind: str
    label: str
    amount: str
    earmarked: bool
    expires_on: datetime.date | None


class FundingOut(Schema):
    price: str
    funded: str = Field(description="Paid by rights")
    card_amount: str = Field(description="Paid by card: the flat contribution (unless exempt) and any shortfall")
    contribution: str = Field(description="The flat contribution in force")
    contribution_due: str
    exemption: str | None
    exemption_label: str | None
    shortfall: str
    buckets: list[BucketOut]


class SettlementOut(Schema):
    ending: str
    ending_label: str
    restored: str
    forfeited: str
    card_refund: str
    organisation_payment: str
    completion_share: str | None
    attendance_share: str | None
    force_majeure: bool


class EventOut(Schema):
    at: datetime.datetime
    from_state: str | None
    to_state: str
    action: str
    actor_kind: str
    reason: str


class DeadlineOut(Schema):
    name: str
    date: datetime.date


class DossierOut(Schema):
    id: int
    state: str
    state_label: str
    offer_id: int
    offer_title: str
    organisation: OrganisationOut
    holder: HolderOut | None = Field(description="Shown to the organisation and to agents.")
    session_id: int
    start: datetime.date
    end: datetime.date
    price: str = Field(description="The proposed price once proposed, the published price before.")
    offer_price: str
    proposal: ProposalOut | None
    submitted_at: datetime.datetime
    respond_before: datetime.date
    accept_before: datetime.date | None
    free_cancellation_until: datetime.date | None
    declare_entry_before: datetime.date | None
    declare_exit_before: datetime.date | None
    pay_before: datetime.date | None
    next_deadline: DeadlineOut | None
    next_step: str
    funding: FundingOut | None
    settlement: SettlementOut | None
    refusal_reason: str
    cancel_reason: str
    took_place: bool | None
    allowed_actions: list[str]
    frozen: bool = Field(description="A scam report names the file: every move answers 409 `frozen` until decided.")


class DossierDetailOut(DossierOut):
    events: list[EventOut]


class DossierListOut(Schema):
    count: int
    page: int
    results: list[DossierOut]


def _funding_json(d: Dossier) -> dict | None:
    if d.confirmed_at is None:
        return None
    exemption = d.contribution_exemption or None
    return {
        "price": money(d.proposal_price),
        "funded": money(d.funded_amount),
        "card_amount": money(d.card_amount),
        "contribution": money(d.contribution),
        "contribution_due": money(d.contribution_due),
        "exemption": exemption,
        "exemption_label": d.get_contribution_exemption_display() if exemption else None,
        "shortfall": money(d.shortfall),
        "buckets": [
            {
                "bucket": line["bucket"],
                "kind": line["kind"],
                "label": line["label"],
                "amount": line["amount"],
                "earmarked": line["earmarked"],
                "expires_on": line["expires_on"],
            }
            for line in d.funding
        ],
    }


def _share(value) -> str | None:
    return None if value is None else f"{value * 100:.2f}"


def dossier_json(d: Dossier, user, *, events: bool = False) -> dict:
    audience = "holder" if user.role == Role.HOLDER else "organisation"
    deadline = selectors.next_deadline(d)
    actions = []
    for action in selectors.actions_for(user, d):
        name = ACTION_NAMES.get(action)
        if name and name not in actions:
            actions.append(name)
    if selectors.can_evaluate(d, rules.paris_date(timezone.now())) and user.role == Role.HOLDER:
        actions.append("evaluate")
    data = {
        "id": d.pk,
        "state": d.state,
        "state_label": str(DossierState(d.state).label),
        "offer_id": d.offer_id,
        "offer_title": d.offer_title,
        "organisation": {"id": d.organisation_id, "name": d.organisation.name},
        "holder": None if audience == "holder" else {"id": d.holder_id, "name": d.holder.full_name},
        "session_id": d.session_id,
        "start": d.start,
        "end": d.end,
        "price": money(d.price),
        "offer_price": money(d.offer_price),
        "proposal": None
        if d.proposal_price is None
        else {
            "price": money(d.proposal_price),
            "start": d.proposal_start,
            "end": d.proposal_end,
            "message": d.proposal_message,
        },
        "submitted_at": d.submitted_at,
        "respond_before": d.respond_before,
        "accept_before": d.accept_before,
        "free_cancellation_until": d.free_cancellation_until,
        "declare_entry_before": d.declare_entry_before,
        "declare_exit_before": d.declare_exit_before,
        "pay_before": d.pay_before,
        "next_deadline": {"name": deadline[0], "date": deadline[1]} if deadline else None,
        "next_step": selectors.state_message(d, audience),
        "funding": _funding_json(d),
        "settlement": None
        if d.settled_at is None
        else {
            "ending": d.ending,
            "ending_label": d.get_ending_display(),
            "restored": money(d.restored_amount),
            "forfeited": money(d.forfeited_amount),
            "card_refund": money(d.holder_refund),
            "organisation_payment": money(d.organisation_amount),
            "completion_share": _share(d.completion_share),
            "attendance_share": _share(d.attendance_share),
            "force_majeure": d.force_majeure,
        },
        "refusal_reason": d.refusal_reason,
        "cancel_reason": d.cancel_reason,
        "took_place": d.took_place,
        "allowed_actions": actions,
        "frozen": d.frozen_at is not None,
    }
    if events:
        data["events"] = [
            {
                "at": e.at,
                "from_state": e.from_state or None,
                "to_state": e.to_state,
                "action": e.action,
                "actor_kind": e.actor_kind,
                "reason": e.reason,
            }
            for e in selectors.dossier_history(d)
        ]
    return data


def _visible(request, dossier_id: int) -> Dossier:
    dossier = selectors.dossier_visible_to(request.auth, dossier_id)
    if dossier is None:
        raise Http404
    return dossier


def _refused(error: services.DossierError) -> ApiError:
    return ApiError(error.status, error.errors)


def _answer(request, dossier_id: int, call) -> dict:
    """Run a service for a file the caller can see; map refusals to statuses; return the file's JSON."""
    _visible(request, dossier_id)
    try:
        call(ip=client_info(request).ip)
    except services.DossierError as error:
        raise _refused(error)
    except PermissionDenied:
        raise PermissionDenied(_("You cannot do this on this file."))
    return dossier_json(selectors.dossier_visible_to(request.auth, dossier_id), request.auth, events=True)


ACTION_RESPONSES = {
    200: DossierDetailOut,
    400: Errors,
    401: Detail,
    402: Errors,
    403: Detail,
    404: Detail,
    409: Errors,
}


# --- reading ---------------------------------------------------------------------------------------------------


class ListQuery(Schema):
    state: Literal[tuple(DossierState.values)] | None = None  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=100_000)


@router.get(
    "/dossiers",
    response={200: DossierListOut, 400: Errors, 401: Detail, 403: Detail},
    auth=bearer,
    summary="My training files (holder) or my organisation's (staff)",
)
def list_dossiers(request, query: Query[ListQuery]):
    user = request.auth
    if user.role == Role.HOLDER:
        dossiers = selectors.dossiers_of_holder(user)
    elif user.role == Role.ORGANISATION_STAFF:
        dossiers = selectors.dossiers_of_organisations(user)
    else:
        raise PermissionDenied(_("Only holders and organisation staff have training files to list."))
    if query.state:
        dossiers = dossiers.filter(state=query.state)
    start = (query.page - 1) * PAGE_SIZE
    return {
        "count": dossiers.count(),
        "page": query.page,
        "results": [dossier_json(d, user) for d in dossiers[start : start + PAGE_SIZE]],
    }


@router.get(
    "/dossiers/{dossier_id}",
    response={200: DossierDetailOut, 401: Detail, 404: Detail},
    auth=bearer,
    summary="One training file with its history",
)
def get_dossier(request, dossier_id: int):
    return dossier_json(_visible(request, dossier_id), request.auth, events=True)


class FundingPreviewOut(FundingOut):
    accept_before: datetime.date | None


@router.get(
    "/dossiers/{dossier_id}/funding",
    response={200: FundingPreviewOut, 401: Detail, 403: Detail, 404: Detail, 409: Errors},
    auth=bearer,
    summary="How the proposal would be paid if accepted now (before paying)",
    description="Rights by bucket in spending order (earmarked top-ups, then those expiring first, then acquired "
    "rights), the flat contribution or the exemption and why, the shortfall paid by card.",
)
def funding_preview(request, dossier_id: int):
    dossier = _visible(request, dossier_id)
    if selectors.actor_for(request.auth, dossier) != Actor.HOLDER:
        raise PermissionDenied(_("Only the holder sees the funding before accepting."))
    if dossier.state != DossierState.PROPOSED:
        raise ApiError(409, {"__all__": [_("This file has no proposal waiting for acceptance.")]})
    funding = selectors.funding_for(dossier, on=rules.paris_date(timezone.now()))
    plan = funding.plan
    return {
        "price": money(plan.price),
        "funded": money(plan.funded),
        "card_amount": money(plan.holder_pays),
        "contribution": money(plan.contribution),
        "contribution_due": money(plan.contribution_due),
        "exemption": funding.exemption.value if funding.exemption else None,
        "exemption_label": funding.exemption_label or None,
        "shortfall": money(plan.shortfall),
        "buckets": [
            {
                "bucket": item["bucket"],
                "kind": item["kind"],
                "label": item["label"],
                "amount": item["amount"],
                "earmarked": item["earmarked"],
                "expires_on": item["expires_on"],
            }
            for item in funding.as_json()
        ],
        "accept_before": dossier.accept_before,
    }


class CancellationPreviewOut(Schema):
    ending: str | None
    ending_label: str | None
    restored: str
    lost: str
    card_refund: str
    card_kept: str
    organisation_payment: str
    free_cancellation_until: datetime.date | None


@router.get(
    "/dossiers/{dossier_id}/cancellation",
    response={200: CancellationPreviewOut, 401: Detail, 403: Detail, 404: Detail, 409: Errors},
    auth=bearer,
    summary="What cancelling today would do to the money (before confirming)",
)
def cancellation_preview(request, dossier_id: int):
    dossier = _visible(request, dossier_id)
    actor = selectors.actor_for(request.auth, dossier)
    allowed = selectors.actions_for(request.auth, dossier)
    if Action.CANCEL_BY_HOLDER not in allowed and Action.CANCEL_BY_ORGANISATION not in allowed:
        raise ApiError(409, {"__all__": [_("This file can no longer be cancelled.")]})
    preview = selectors.cancellation_preview(dossier, actor=actor, on=rules.paris_date(timezone.now()))
    return {
        "ending": preview.ending.value if preview.ending else None,
        "ending_label": preview.ending_label or None,
        "restored": money(preview.restored),
        "lost": money(preview.lost),
        "card_refund": money(preview.refund),
        "card_kept": money(preview.card_kept),
        "organisation_payment": money(preview.organisation_payment),
        "free_cancellation_until": preview.free_until,
    }


# --- the holder ------------------------------------------------------------------------------------------------


class RegisterIn(Schema):
    session_id: int


@router.post(
    "/dossiers",
    response={201: DossierDetailOut, 400: Errors, 401: Detail, 403: Detail, 409: Errors},
    auth=bearer,
    summary="Register for a session (holder)",
    description="The organisation answers by `respond_before` (2 business days). At most 5 open requests per "
    "training; one open file per session.",
)
def register(request, payload: RegisterIn):
    try:
        dossier = services.dossier_register(
            user=request.auth, session_id=payload.session_id, ip=client_info(request).ip
        )
    except services.DossierError as error:
        raise _refused(error)
    return Status(201, dossier_json(selectors.dossier_visible_to(request.auth, dossier.pk), request.auth, events=True))


class CardIn(Schema):
    number: str = Field(max_length=30)
    expiry_month: int
    expiry_year: int
    cvc: str = Field(max_length=4)
    holder_name: str = Field("", max_length=100)


class AcceptIn(Schema):
    card: CardIn | None = None
    expected_card_amount: Decimal | None = Field(
        None, description="The `card_amount` of GET /dossiers/{id}/funding: refused (409) if it changed."
    )


@router.post(
    "/dossiers/{dossier_id}/accept",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Accept the proposal and pay (holder)",
    description="Engages the rights and charges the card in one step, all or nothing. SANDBOX provider: "
    "4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 is declined (402); no money moves.",
)
def accept(request, dossier_id: int, payload: AcceptIn):
    card = None
    if payload.card is not None:
        try:
            card = card_from_input(**payload.card.dict(), today=rules.paris_date(timezone.now()))
        except InvalidCard as error:
            raise ApiError(400, {f"card.{field}": messages for field, messages in error.errors.items()})
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_accept(
            dossier_id=dossier_id,
            user=request.auth,
            card=card,
            expected_card_amount=payload.expected_card_amount,
            ip=ip,
        ),
    )


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)


@router.post(
    "/dossiers/{dossier_id}/cancel",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Cancel the file (holder, organisation or agent)",
    description="By the holder: everything restored more than 7 business days before the start, rights lost and "
    "5 % to the organisation later. By the organisation or an agent (reason required): everything restored. "
    "See GET /dossiers/{id}/cancellation first.",
)
def cancel(request, dossier_id: int, payload: ReasonIn):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_cancel(dossier_id=dossier_id, user=request.auth, reason=payload.reason, ip=ip),
    )


class RatingsIn(Schema):
    welcome: int = Field(ge=1, le=5)
    content: int = Field(ge=1, le=5)
    trainers: int = Field(ge=1, le=5)
    resources: int = Field(ge=1, le=5)
    support: int = Field(ge=1, le=5)


class EvaluateIn(Schema):
    took_place: bool
    ratings: RatingsIn | None = None
    comment: str = Field("", max_length=2000)


@router.post(
    "/dossiers/{dossier_id}/evaluate",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Confirm the training took place and rate it (holder, after the end)",
)
def evaluate(request, dossier_id: int, payload: EvaluateIn):
    if payload.took_place and payload.ratings is None:
        raise ApiError(400, {"ratings": [_("Give a rating from 1 to 5 for each criterion.")]})
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_evaluate(
            dossier_id=dossier_id,
            user=request.auth,
            took_place=payload.took_place,
            ratings=payload.ratings.dict() if payload.ratings else None,
            comment=payload.comment,
            ip=ip,
        ),
    )


# --- the organisation ------------------------------------------------------------------------------------------


class ProposeIn(Schema):
    price: Decimal
    session_id: int | None = Field(None, description="Another open session of the same offer (default: the one asked)")
    start: datetime.date | None = Field(None, description="Other dates: at least 11 business days from today")
    end: datetime.date | None = None
    message: str = Field("", max_length=2000)


@router.post(
    "/dossiers/{dossier_id}/propose",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Propose a session and a price (organisation)",
)
def propose(request, dossier_id: int, payload: ProposeIn):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_propose(
            dossier_id=dossier_id,
            user=request.auth,
            price=payload.price,
            session_id=payload.session_id,
            start=payload.start,
            end=payload.end,
            message=payload.message,
            ip=ip,
        ),
    )


class RequiredReasonIn(Schema):
    reason: str = Field(max_length=2000)


@router.post("/dossiers/{dossier_id}/refuse", response=ACTION_RESPONSES, auth=bearer, summary="Refuse with a reason")
def refuse(request, dossier_id: int, payload: RequiredReasonIn):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_refuse(dossier_id=dossier_id, user=request.auth, reason=payload.reason, ip=ip),
    )


@router.post(
    "/dossiers/{dossier_id}/declare-entry",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Declare the entry into training (organisation, from the first day)",
)
def declare_entry(request, dossier_id: int):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_entry(dossier_id=dossier_id, user=request.auth, ip=ip),
    )


class ExitIn(Schema):
    completion_percent: Decimal = Field(description="Share of the training delivered, 0 to 100")


@router.post(
    "/dossiers/{dossier_id}/declare-exit",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Declare the exit, service completed (organisation, from the last day)",
)
def declare_exit(request, dossier_id: int, payload: ExitIn):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_exit(
            dossier_id=dossier_id, user=request.auth, completion_percent=payload.completion_percent, ip=ip
        ),
    )


@router.post(
    "/dossiers/{dossier_id}/declare-no-show",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Declare that the holder did not come (organisation, from the first day)",
)
def declare_no_show(request, dossier_id: int, payload: ReasonIn):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_no_show(
            dossier_id=dossier_id, user=request.auth, reason=payload.reason, ip=ip
        ),
    )


class AbandonmentIn(Schema):
    attendance_percent: Decimal = Field(description="Share of the training attended, 0 to 100")
    force_majeure: bool = False
    reason: str = Field(max_length=2000)


@router.post(
    "/dossiers/{dossier_id}/declare-abandonment",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Declare an abandonment (organisation or agent)",
)
def declare_abandonment(request, dossier_id: int, payload: AbandonmentIn):
    return _answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_abandonment(
            dossier_id=dossier_id,
            user=request.auth,
            attendance_percent=payload.attendance_percent,
            force_majeure=payload.force_majeure,
            reason=payload.reason,
            ip=ip,
        ),
    )


@router.post(
    "/dossiers/{dossier_id}/pay",
    response=ACTION_RESPONSES,
    auth=bearer,
    summary="Pay the organisation what the file owes it now (agent)",
)
def pay(request, dossier_id: int):
    dossier = _visible(request, dossier_id)
    if request.auth.role != Role.AGENT:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can pay an organisation."))
    payment = OrganisationPayment.objects.filter(dossier=dossier).first()
    if payment is None:
        raise ApiError(409, {"__all__": [_("This file owes the organisation nothing.")]})
    return _answer(
        request,
        dossier_id,
        lambda ip: services.organisation_payment_pay(payment_id=payment.pk, user=request.auth),
    )
