"""Deadlines of a training file: Paris calendar dates, N business days after the event."""

import datetime
from zoneinfo import ZoneInfo

from opencpf.dossiers.enums import Ending
from opencpf.dossiers.rules.parameters import DossierParameters
from opencpf.utils.business_days import add_business_days

PARIS = ZoneInfo("Europe/Paris")


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


def cancellation_ending(
    cancelled_on: datetime.date, start: datetime.date, params: DossierParameters, *, by_holder: bool
) -> Ending:
    """Which row a cancellation of a confirmed file falls in: the holder's by its date, the organisation's or an
    agent's always "by the organisation" (everything restored)."""
    return holder_cancellation_ending(cancelled_on, start, params) if by_holder else Ending.BY_ORGANISATION
