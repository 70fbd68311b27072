"""Pure rules of a training file (DESIGN §2.2, §2.3): deadlines, funding plan, settlement of engaged money, checks.

No database, no clock: every function takes the dates and the legal parameters it needs, so services can call
it inside a transaction and tests can pin every case. The legal values come from the dated YAML parameters in
force on the relevant date (`DossierParameters` is filled by the caller; nothing legal is written here).

Deadlines ("within N business days of an event"):
  * a business day is a French working day: Monday–Friday, not a public holiday (`opencpf.utils.business_days`,
    the `holidays` package's national calendar);
  * counting starts the day after the event: the event day never counts, even when it is a business day, and an
    event on a weekend or holiday counts from the next business day;
  * the deadline is the N-th such business day, included: the act is on time until 23:59:59 Europe/Paris that day
    and overdue from the following midnight (`lapses_at`). Dates passed in are Paris calendar dates (`paris_date`).
  * The platform's payment delay is counted in calendar days in DESIGN §2.3, not business days (same inclusion).

Money: `Decimal` with two decimals everywhere. An amount the rules define as a share of the price (late cancellation
fee, pro rata of attendance) is rounded ROUND_HALF_UP to the cent. When an amount must be spread over several
sources (buckets and card), it is split pro rata in whole cents by the largest-remainder method, so that the parts
add up exactly to the amount and no part exceeds its source.
"""

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from opencpf.dossiers.enums import ContributionExemption, Ending, FundingOrder, Refusal
from opencpf.rights.enums import Bucket
from opencpf.utils.business_days import add_business_days

PARIS = ZoneInfo("Europe/Paris")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

type BucketId = int | str


@dataclasses.dataclass(frozen=True)
class DossierParameters:
    """Legal values in force on a date (DESIGN §2.2–2.3). Each field is the parameter file of the same name
    (`dossiers/<field>.yaml`, see opencpf/parameters/README.md); a `<x>_days` delay gives the `<x>_before` date."""

    respond_days: int  # business days for the OF to answer a request
    earliest_start_days: int  # business days between a proposal and the session's start, at least
    accept_days: int  # business days for the holder to accept a proposal
    declare_entry_days: int  # business days after the start to declare entry
    declare_exit_days: int  # business days after the end to declare exit, "service fait"
    pay_days: int  # calendar days for the platform to pay the OF after the exit declaration
    max_open_requests: int  # open requests per holder for one training
    free_cancellation_days: int  # the holder cancels free of charge more than this many business days ahead
    late_cancellation_share: Decimal  # share of the price paid to the OF on late cancellation/no-show
    abandonment_minimum_share: Decimal  # the OF is paid at least this share on abandonment
    abandonment_full_share_above: Decimal  # above this attendance the OF is paid in full
    work_accident_exemption_rate: Decimal  # permanent incapacity rate exempting from the contribution
    funding_order: FundingOrder  # which rights are used first (R6333-3)

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type is int and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{field.name} must be a non-negative integer")
            if field.type is FundingOrder and value not in FundingOrder.values:
                raise ValueError(f"{field.name} must be one of {FundingOrder.values}")
            if field.type is Decimal and not (isinstance(value, Decimal) and 0 <= value <= 1):
                raise ValueError(f"{field.name} must be a Decimal share between 0 and 1")
        if self.abandonment_minimum_share > self.abandonment_full_share_above:
            raise ValueError("abandonment_minimum_share must not exceed abandonment_full_share_above")


# --- Money helpers ---------------------------------------------------------------------------------------------


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _money(value: Decimal | int, name: str) -> Decimal:
    """An amount given in: a non-negative Decimal (or int) with at most two decimals; never silently rounded."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{name} must be a Decimal, not {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValueError(f"{name} must be a non-negative amount in cents, got {value}")
    return amount.quantize(CENT)


def _share(value: Decimal, name: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a Decimal between 0 and 1, got {value!r}")
    return value


def split_pro_rata(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` in cents proportionally to `weights` (largest remainder; ties go to the earlier weight).

    The parts add up exactly to `total`, and each part is the exact share rounded down or up to the cent, so it
    never exceeds its weight when total ≤ sum(weights).
    """
    total_cents = int(_money(total, "total") / CENT)
    weight_cents = [int(_money(weight, "weight") / CENT) for weight in weights]
    whole = sum(weight_cents)
    if total_cents > whole:
        raise ValueError("cannot split more than the sum of the weights")
    if whole == 0:
        return [ZERO for _weight in weights]
    floors = [weight * total_cents // whole for weight in weight_cents]
    remainders = [weight * total_cents % whole for weight in weight_cents]
    leftover = total_cents - sum(floors)
    for index in sorted(range(len(floors)), key=lambda i: (-remainders[i], i))[:leftover]:
        floors[index] += 1
    return [Decimal(cents) * CENT for cents in floors]


# --- Deadlines -------------------------------------------------------------------------------------------------


def paris_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date in France (metropolitan legal time) of an aware moment: deadlines count in Paris days."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(PARIS).date()


def lapses_at(deadline: datetime.date) -> datetime.datetime:
    """The first moment a deadline is passed: midnight in Paris at the start of the following day."""
    return datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time(), tzinfo=PARIS)


def is_overdue(deadline: datetime.date, now: datetime.datetime) -> bool:
    return paris_date(now) > deadline


def respond_before(submitted_on: datetime.date, params: DossierParameters) -> datetime.date:
    """Last day for the OF to answer a request (DESIGN §2.3: the answer delay), else it lapses to `expired`."""
    return add_business_days(submitted_on, params.respond_days)


def earliest_start(proposed_on: datetime.date, params: DossierParameters) -> datetime.date:
    """First day a proposed session may start (DESIGN §2.3: the minimum delay after the proposal)."""
    return add_business_days(proposed_on, params.earliest_start_days)


def accept_before(proposed_on: datetime.date, params: DossierParameters) -> datetime.date:
    """Last day for the holder to accept (and pay), else the proposal lapses (DESIGN §2.3: the acceptance delay)."""
    return add_business_days(proposed_on, params.accept_days)


def declare_entry_before(start: datetime.date, params: DossierParameters) -> datetime.date:
    """Last day for the OF to declare entry: the entry declaration delay after the session's first day."""
    return add_business_days(start, params.declare_entry_days)


def declare_exit_before(end: datetime.date, params: DossierParameters) -> datetime.date:
    """Last day for the OF to declare exit ("service fait"): the exit declaration delay after the last day."""
    return add_business_days(end, params.declare_exit_days)


def pay_before(exit_declared_on: datetime.date, params: DossierParameters) -> datetime.date:
    """Last day for the platform to pay the OF: the payment delay (calendar days) after the exit declaration."""
    return exit_declared_on + datetime.timedelta(days=params.pay_days)


def free_cancellation_until(start: datetime.date, params: DossierParameters) -> datetime.date:
    """Last day (included) the holder may cancel with everything restored.

    DESIGN §2.3: "more than N business days before the start" (N: the free-cancellation delay), i.e.
    strictly before the N-th business day preceding the start. E.g. with N = 3 (an illustration, not the law),
    start Monday 16 March 2026 → the 3rd bd before is Wednesday 11 March → free until Tuesday 10 March included.
    The day returned may be a weekend day (a cancellation on Sunday before that N-th bd is still more than N bd
    ahead).
    """
    return add_business_days(start, -params.free_cancellation_days) - datetime.timedelta(days=1)


def holder_cancellation_ending(cancelled_on: datetime.date, start: datetime.date, params: DossierParameters) -> Ending:
    """Which row of the cancellation table a holder's cancellation of a confirmed file falls in."""
    return Ending.HOLDER_EARLY if cancelled_on <= free_cancellation_until(start, params) else Ending.HOLDER_LATE


# --- Funding plan (DESIGN §2.2) ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FundingSource:
    """Rights available to fund this training. Pass only sources usable for it: acquired rights, top-ups without
    an earmark, and top-ups earmarked for this very training (`earmarked_for_this_training`)."""

    id: BucketId
    kind: Bucket
    amount: Decimal
    earmarked_for_this_training: bool = False
    expires_on: datetime.date | None = None  # last day the top-up can be used (décret 2025-341)
    file_top_up: bool = False  # a top-up of this one file ("abondement"): it covers what the rest leaves unpaid


@dataclasses.dataclass(frozen=True)
class Allocation:
    bucket_id: BucketId
    kind: Bucket
    amount: Decimal


@dataclasses.dataclass(frozen=True)
class EngagedMoney:
    """What was engaged at acceptance: amounts taken from each bucket (funding order) and the card payment."""

    buckets: tuple[Allocation, ...]
    card_paid: Decimal

    @property
    def funded(self) -> Decimal:
        return sum((allocation.amount for allocation in self.buckets), ZERO)

    @property
    def price(self) -> Decimal:
        return self.funded + self.card_paid


@dataclasses.dataclass(frozen=True)
class FundingPlan:
    price: Decimal
    contribution: Decimal  # the flat contribution in force (L6323-4)
    exempt: bool
    contribution_due: Decimal  # what of it the holder owes: 0 if exempt, never more than the price
    available: Decimal  # total rights usable for this training
    allocations: tuple[Allocation, ...]  # non-zero amounts, in funding order: the split the rights ledger engages
    funded: Decimal  # paid by rights
    holder_pays: Decimal  # paid by card at confirmation = price − funded
    shortfall: Decimal  # the part of holder_pays beyond the contribution: rights did not cover it

    def engagement(self) -> EngagedMoney:
        return EngagedMoney(buckets=self.allocations, card_paid=self.holder_pays)


# Rank of each kind of money in each order of use. File top-ups ("abondements", which cover what the rest leaves
# unpaid) come last in both (`FILE_TOP_UP_RANK`).
FILE_TOP_UP_RANK = 2
_RANKS = {
    FundingOrder.SUPPLEMENTARY_FIRST: {Bucket.TOP_UP: 0, Bucket.ACQUIRED: 1},
    FundingOrder.ACQUIRED_FIRST: {Bucket.ACQUIRED: 0, Bucket.TOP_UP: 1},
}


def funding_order(sources: Iterable[FundingSource], order: FundingOrder) -> list[FundingSource]:
    """Which rights are spent first: the one decision of the order of use (R6333-3, a dated parameter).

    - `supplementary_first` (décret 2025-1156, from 2025-12-05): the supplementary credits first, those earmarked
      for this training first (they can fund nothing else), then the soonest to expire (unspent they are lost),
      then the others; then the holder's acquired rights, which never expire.
    - `acquired_first` (before): acquired rights first, then the supplementary credits in the same order.
    In both, the file's own top-ups last. Within a rank, the order given breaks ties.
    """
    ranks = _RANKS[FundingOrder(order)]

    def priority(item: tuple[int, FundingSource]) -> tuple:
        index, source = item
        return (
            FILE_TOP_UP_RANK if source.file_top_up else ranks[source.kind],
            not source.earmarked_for_this_training,
            source.expires_on or datetime.date.max,
            index,
        )

    return [source for _index, source in sorted(enumerate(sources), key=priority)]


def funding_plan(
    *,
    price: Decimal,
    contribution: Decimal,
    exempt: bool,
    buckets: Iterable[FundingSource],
    order: FundingOrder,
    on: datetime.date | None = None,
    rights_cap: Decimal | None = None,
) -> FundingPlan:
    """How a training of `price` is paid (DESIGN §2.2, L6323-4): the only place the split between buckets is
    decided. The rights ledger engages exactly `allocations`; it checks them and chooses nothing.

    The flat contribution is part of the price: rights fund at most price − contribution (the whole price when
    exempt), the holder pays the rest by card, at least the contribution (unless exempt). Buckets are used in
    `funding_order(…, order)`. With `on`, top-ups expired before that date are left out. `rights_cap` (a cap of
    the 2026 finance law for this kind of training) limits what rights fund; the holder pays the rest.
    """
    price = _money(price, "price")
    contribution = _money(contribution, "contribution")
    buckets = [dataclasses.replace(bucket, amount=_money(bucket.amount, f"bucket {bucket.id}")) for bucket in buckets]
    if len({bucket.id for bucket in buckets}) != len(buckets):
        raise ValueError("bucket ids must be unique")
    expired = {bucket.id for bucket in buckets if on and bucket.expires_on and bucket.expires_on < on}
    usable = [bucket for bucket in funding_order(buckets, order) if bucket.amount > 0 and bucket.id not in expired]
    contribution_due = ZERO if exempt else min(contribution, price)
    ceiling = price - contribution_due
    if rights_cap is not None:
        ceiling = min(ceiling, _money(rights_cap, "rights_cap"))
    allocations = []
    funded = ZERO
    for bucket in usable:
        take = min(bucket.amount, ceiling - funded)
        if take <= 0:
            break
        allocations.append(Allocation(bucket.id, bucket.kind, take))
        funded += take
    holder_pays = price - funded
    return FundingPlan(
        price=price,
        contribution=contribution,
        exempt=exempt,
        contribution_due=contribution_due,
        available=sum((bucket.amount for bucket in usable), ZERO),
        allocations=tuple(allocations),
        funded=funded,
        holder_pays=holder_pays,
        shortfall=holder_pays - contribution_due,
    )


def contribution_exemption(
    *,
    job_seeker: bool,
    employer_cofunded: bool,
    c2p: bool,
    work_accident_rate: Decimal | None,
    params: DossierParameters,
) -> ContributionExemption | None:
    """Why the holder is exempt from the flat contribution, if they are (L6323-4, décret 2024-394)."""
    if job_seeker:
        return ContributionExemption.JOB_SEEKER
    if employer_cofunded:
        return ContributionExemption.EMPLOYER_COFUNDED
    if c2p:
        return ContributionExemption.C2P
    if work_accident_rate is not None and work_accident_rate >= params.work_accident_exemption_rate:
        return ContributionExemption.WORK_ACCIDENT
    return None


# --- Settlement: the cancellation table of DESIGN §2.3 ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BucketSettlement:
    bucket_id: BucketId
    kind: Bucket
    engaged: Decimal
    restored: Decimal  # credited back to the same bucket (a top-up goes back to its funder's bucket)
    forfeited: Decimal  # consumed: spent on the OF's payment or lost (engaged = restored + forfeited)


@dataclasses.dataclass(frozen=True)
class Outcome:
    ending: Ending
    price: Decimal
    buckets: tuple[BucketSettlement, ...]
    card_paid: Decimal
    holder_refund: Decimal  # card money given back to the holder
    organisation_payment: Decimal  # what the platform pays the OF

    @property
    def restored(self) -> Decimal:
        return sum((bucket.restored for bucket in self.buckets), ZERO)

    @property
    def forfeited(self) -> Decimal:
        return sum((bucket.forfeited for bucket in self.buckets), ZERO)

    @property
    def card_kept(self) -> Decimal:
        return self.card_paid - self.holder_refund

    @property
    def consumed(self) -> Decimal:
        """Engaged money not given back (rights forfeited and card money kept)."""
        return self.forfeited + self.card_kept

    @property
    def kept_by_fund(self) -> Decimal:
        """Consumed but not paid to the OF: lost rights stay with the fund that financed them."""
        return self.consumed - self.organisation_payment


def organisation_payment_share(attendance: Decimal, params: DossierParameters) -> Decimal:
    """Share of the price paid to the OF for an attendance (or completion) share (DESIGN §2.3): at least the
    abandonment minimum share, pro rata up to the full-payment threshold included, in full above it."""
    attendance = _share(attendance, "attendance")
    if attendance > params.abandonment_full_share_above:
        return Decimal(1)
    return max(attendance, params.abandonment_minimum_share)


def _settle(engagement: EngagedMoney, ending: Ending, *, consumed: Decimal, organisation_payment: Decimal) -> Outcome:
    # Whatever is consumed is taken from every source in proportion (buckets and card alike): neither the funders
    # nor the holder bear a partial loss before the others.
    sources = [allocation.amount for allocation in engagement.buckets] + [engagement.card_paid]
    taken = split_pro_rata(consumed, sources)
    return Outcome(
        ending=ending,
        price=engagement.price,
        buckets=tuple(
            BucketSettlement(allocation.bucket_id, allocation.kind, allocation.amount, allocation.amount - part, part)
            for allocation, part in zip(engagement.buckets, taken, strict=False)
        ),
        card_paid=engagement.card_paid,
        holder_refund=engagement.card_paid - taken[-1],
        organisation_payment=organisation_payment,
    )


def cancellation_outcome(
    engagement: EngagedMoney,
    ending: Ending,
    *,
    params: DossierParameters,
    attendance: Decimal | None = None,
) -> Outcome:
    """Settle the engaged money of a file by a row of DESIGN §2.3's table (or by its normal completion).

    `attendance` is the share of the training followed (abandonment, force majeure) or the completion share
    declared with "service fait" (completion); it is required for those and refused for the other rows.
    - holder early (before the free-cancellation delay), by the OF, and a confirmed scam: everything restored,
      nothing paid;
    - holder late, no-show: everything consumed (rights lost, card payment kept), the OF gets the late
      cancellation share of the price;
    - abandonment without force majeure: everything consumed, the OF gets the attendance scale
      (`organisation_payment_share`: minimum share, pro rata, in full above the threshold);
    - force majeure: the OF gets exactly the attendance share, the unused part is restored;
    - completion: the OF gets the same scale as abandonment on the completion share, the rest is restored
      (the holder is not at fault for a partly delivered training).
    """
    price = engagement.price
    needs_attendance = ending in {Ending.ABANDONMENT, Ending.FORCE_MAJEURE, Ending.COMPLETION}
    if needs_attendance != (attendance is not None):
        raise ValueError(f"attendance is {'required' if needs_attendance else 'meaningless'} for {ending}")
    match ending:
        case Ending.HOLDER_EARLY | Ending.BY_ORGANISATION | Ending.FRAUD:
            return _settle(engagement, ending, consumed=ZERO, organisation_payment=ZERO)
        case Ending.HOLDER_LATE | Ending.NO_SHOW:
            fee = round_cents(price * params.late_cancellation_share)
            return _settle(engagement, ending, consumed=price, organisation_payment=fee)
        case Ending.ABANDONMENT:
            paid = round_cents(price * organisation_payment_share(attendance, params))
            return _settle(engagement, ending, consumed=price, organisation_payment=paid)
        case Ending.FORCE_MAJEURE:
            paid = round_cents(price * _share(attendance, "attendance"))
            return _settle(engagement, ending, consumed=paid, organisation_payment=paid)
        case Ending.COMPLETION:
            paid = round_cents(price * organisation_payment_share(attendance, params))
            return _settle(engagement, ending, consumed=paid, organisation_payment=paid)
    raise ValueError(f"unknown ending {ending!r}")


# --- Eligibility checks ------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The answer of a check: true when allowed; otherwise the reasons, as `Refusal` codes with labels."""

    refusals: tuple[Refusal, ...] = ()

    def __bool__(self) -> bool:
        return not self.refusals


def _verdict(*checks: tuple[bool, Refusal]) -> Verdict:
    return Verdict(tuple(refusal for failed, refusal in checks if failed))


def can_register(
    *,
    open_requests_for_training: int,
    params: DossierParameters,
    open_file_for_session: bool = False,
    account_closed: bool = False,
) -> Verdict:
    """May the holder send one more request? `open_requests_for_training`: their files for this training in an
    OPEN_REQUEST_STATES state, the new one not counted (DESIGN §2.3: at most 5)."""
    return _verdict(
        (account_closed, Refusal.ACCOUNT_CLOSED),
        (open_file_for_session, Refusal.ALREADY_REGISTERED),
        (open_requests_for_training >= params.max_open_requests, Refusal.TOO_MANY_OPEN_REQUESTS),
    )


def can_propose(
    *,
    proposed_on: datetime.date,
    start: datetime.date,
    end: datetime.date,
    price: Decimal,
    params: DossierParameters,
) -> Verdict:
    """Is the OF's proposal valid: a positive price, a session starting no sooner than the minimum delay
    after the proposal, ending after it."""
    return _verdict(
        (price <= 0, Refusal.PRICE_NOT_POSITIVE),
        (start < earliest_start(proposed_on, params), Refusal.START_TOO_SOON),
        (end < start, Refusal.END_BEFORE_START),
    )


def can_accept(*, today: datetime.date, accept_before: datetime.date) -> Verdict:
    return _verdict((today > accept_before, Refusal.DEADLINE_PASSED))


def can_declare_entry(*, today: datetime.date, start: datetime.date) -> Verdict:
    """Entry is declared once the session has started (a late declaration is still accepted, see enums.LAPSE)."""
    return _verdict((today < start, Refusal.BEFORE_START))


def can_declare_exit(*, today: datetime.date, end: datetime.date, completion: Decimal) -> Verdict:
    """Exit with "service fait" is declared from the session's last day on, with a completion share in [0, 1]."""
    out_of_range = not (isinstance(completion, Decimal) and completion.is_finite() and 0 <= completion <= 1)
    return _verdict((today < end, Refusal.BEFORE_END), (out_of_range, Refusal.SHARE_OUT_OF_RANGE))
