"""The training files API's schemas: what comes in, what goes out (money as decimal strings, ISO dates)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from opencpf.api.schemas import BODY_ERRORS, SIGNED_IN, Detail, Errors, Id, IsoDate, Money, StrictIn
from opencpf.dossiers.enums import DossierState


class OrganisationOut(Schema):
    id: int
    name: str


class HolderOut(Schema):
    id: int
    name: str


class ProposalOut(Schema):
    price: Money
    start: datetime.date
    end: datetime.date
    message: str


class BucketOut(Schema):
    bucket: str = Field(description='"acquired", or the id of a top-up')
    kind: str
    label: str
    amount: Money
    earmarked: bool
    expires_on: datetime.date | None


class FundingOut(Schema):
    price: Money
    funded: Money = Field(description="Paid by rights")
    card_amount: Money = Field(description="Paid by card: the flat contribution (unless exempt) and any shortfall")
    contribution: Money = Field(description="The flat contribution in force")
    contribution_due: Money
    exemption: str | None = Field(description="Why no flat contribution is due (the holder and agents only).")
    exemption_label: str | None = Field(description="The holder and agents only.")
    shortfall: Money
    buckets: list[BucketOut] = Field(
        description="Which rights pay what (the holder and agents only; empty for the organisation)."
    )


class SettlementOut(Schema):
    ending: str
    ending_label: str
    restored: Money
    forfeited: Money
    card_refund: Money
    organisation_payment: Money
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
    price: Money = Field(description="The proposed price once proposed, the published price before.")
    offer_price: Money
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


class ListQuery(Schema):
    state: Literal[tuple(DossierState.values)] | None = None  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=100_000)


class FundingPreviewOut(FundingOut):
    accept_before: datetime.date | None


class CancellationPreviewOut(Schema):
    ending: str | None
    ending_label: str | None
    restored: Money
    lost: Money
    card_refund: Money
    card_kept: Money
    organisation_payment: Money
    free_cancellation_until: datetime.date | None


class RegisterIn(StrictIn):
    session_id: Id


class CardIn(StrictIn):
    number: str = Field(max_length=30)
    expiry_month: int
    expiry_year: int
    cvc: str = Field(max_length=4)
    holder_name: str = Field("", max_length=100)


class AcceptIn(StrictIn):
    card: CardIn | None = None
    expected_card_amount: Decimal | None = Field(
        None, description="The `card_amount` of GET /dossiers/{id}/funding: refused (409) if it changed."
    )


class ReasonIn(StrictIn):
    reason: str = Field("", max_length=2000)


class RatingsIn(StrictIn):
    welcome: int = Field(ge=1, le=5)
    content: int = Field(ge=1, le=5)
    trainers: int = Field(ge=1, le=5)
    resources: int = Field(ge=1, le=5)
    support: int = Field(ge=1, le=5)


class EvaluateIn(StrictIn):
    took_place: bool
    ratings: RatingsIn | None = None
    comment: str = Field("", max_length=2000)


class ProposeIn(StrictIn):
    price: Decimal
    session_id: Id | None = Field(None, description="Another open session of the same offer (default: the one asked)")
    start: IsoDate | None = Field(
        None, description="Other dates: at least `dossiers/earliest_start_days` business days from today"
    )
    end: IsoDate | None = None
    message: str = Field("", max_length=2000)


class RequiredReasonIn(StrictIn):
    reason: str = Field(max_length=2000)


class ExitIn(StrictIn):
    completion_percent: Decimal = Field(description="Share of the training delivered, 0 to 100")


class AbandonmentIn(StrictIn):
    attendance_percent: Decimal = Field(description="Share of the training attended, 0 to 100")
    force_majeure: bool = False
    reason: str = Field(max_length=2000)


# A move: 402 for a declined card (accept), 403 for the wrong side, 409 when the file's state does not allow it.
ACTION_RESPONSES = {
    200: DossierDetailOut,
    **BODY_ERRORS,
    **SIGNED_IN,
    402: Errors,
    403: Detail,
    404: Detail,
    409: Errors,
}
