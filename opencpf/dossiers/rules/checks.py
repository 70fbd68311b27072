"""Eligibility checks: pure verdicts with the reasons of a refusal."""

import dataclasses
import datetime
from decimal import Decimal

from opencpf.dossiers.enums import Refusal
from opencpf.dossiers.rules.deadlines import earliest_start
from opencpf.dossiers.rules.parameters import DossierParameters

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


def exit_day_reached(*, today: datetime.date, end: datetime.date) -> bool:
    """Exit with "service fait" is declared from the session's last day on."""
    return today >= end


def can_declare_exit(*, today: datetime.date, end: datetime.date, completion: Decimal) -> Verdict:
    """Exit is declared from the last day on (`exit_day_reached`), with a completion share in [0, 1]."""
    out_of_range = not (isinstance(completion, Decimal) and completion.is_finite() and 0 <= completion <= 1)
    return _verdict(
        (not exit_day_reached(today=today, end=end), Refusal.BEFORE_END), (out_of_range, Refusal.SHARE_OUT_OF_RANGE)
    )
