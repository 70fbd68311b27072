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

from opencpf.dossiers.rules.checks import (
    can_accept,
    can_declare_entry,
    can_declare_exit,
    can_propose,
    can_register,
    exit_day_reached,
)
from opencpf.dossiers.rules.deadlines import (
    PARIS,
    accept_before,
    cancellation_ending,
    declare_entry_before,
    declare_exit_before,
    earliest_start,
    free_cancellation_until,
    holder_cancellation_ending,
    is_overdue,
    lapses_at,
    paris_date,
    pay_before,
    respond_before,
)
from opencpf.dossiers.rules.funding import (
    Allocation,
    EngagedMoney,
    FundingPlan,
    FundingSource,
    contribution_exemption,
    funding_order,
    funding_plan,
)
from opencpf.dossiers.rules.money import split_pro_rata
from opencpf.dossiers.rules.parameters import DossierParameters
from opencpf.dossiers.rules.settlement import cancellation_outcome, organisation_payment_share

__all__ = [
    "Allocation",
    "DossierParameters",
    "EngagedMoney",
    "FundingPlan",
    "FundingSource",
    "PARIS",
    "accept_before",
    "can_accept",
    "can_declare_entry",
    "can_declare_exit",
    "can_propose",
    "can_register",
    "cancellation_outcome",
    "contribution_exemption",
    "declare_entry_before",
    "declare_exit_before",
    "earliest_start",
    "exit_day_reached",
    "free_cancellation_until",
    "funding_order",
    "funding_plan",
    "cancellation_ending",
    "holder_cancellation_ending",
    "is_overdue",
    "lapses_at",
    "organisation_payment_share",
    "paris_date",
    "pay_before",
    "respond_before",
    "split_pro_rata",
]
