"""The yearly credit: the year's accrual within the cap, with its explanation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from opencpf.parameters import citation
from opencpf.rights.rules.accrual import (
    Employment,
    SelfEmployment,
    _priority_lines,
    employee_accrual,
    self_employed_accrual,
)
from opencpf.rights.rules.holder import in_priority_group
from opencpf.rights.rules.lines import ZERO, Line, Money, _line, gettext_noop, to_money
from opencpf.rights.rules.year import YearParameters, _refs


@dataclass(frozen=True)
class YearlyCredit:
    year: int
    accrued: Decimal  # the year's amount before the cap
    cap: Decimal
    balance: Decimal  # acquired rights before the credit
    credit: Decimal
    new_balance: Decimal
    priority: bool
    lines: tuple[Line, ...]


def capped_credit(*, year: int, accrued: Decimal, balance: Decimal, priority: bool) -> tuple[Decimal, Decimal, Line]:
    """credit = min(accrued, cap − acquired balance), never negative. Top-ups are not part of `balance`."""
    params = YearParameters.for_year(year)
    cap = params.cap_for(priority)
    refs = _refs("rights/cap_priority" if priority else "rights/cap", year)
    balance = to_money(balance)
    room = max(ZERO, cap - balance)
    credit = min(to_money(accrued), room)
    if room == ZERO:
        message = gettext_noop(
            "Your acquired rights (%(balance)s) already reach the cap of %(cap)s: nothing is credited. "
            "Top-ups do not count towards the cap."
        )
    elif credit < accrued:
        message = gettext_noop(
            "Your acquired rights (%(balance)s) are close to the cap of %(cap)s: only %(credit)s is credited. "
            "Top-ups do not count towards the cap."
        )
    else:
        message = gettext_noop(
            "Acquired rights of %(balance)s plus %(credit)s stay within the cap of %(cap)s. "
            "Top-ups do not count towards the cap."
        )
    line = _line(message, refs, balance=Money(balance), cap=Money(cap), credit=Money(credit))
    return credit, cap, line


def yearly_credit(
    *,
    year: int,
    employments: Iterable[Employment] = (),
    self_employment: SelfEmployment | None = None,
    job_seeker: bool = False,
    low_qualified: bool = False,
    disabled_worker: bool = False,
    balance: Decimal = ZERO,
) -> YearlyCredit:
    """A holder's credit for year N from that year's declarations and their acquired rights before it.

    Several employers add up; a person both employed and self-employed gets the sum of both, within one
    yearly amount. A job seeker with no activity accrues nothing and keeps what they have.
    """
    employments = tuple(employments)
    params = YearParameters.for_year(year)
    priority = in_priority_group(low_qualified=low_qualified, disabled_worker=disabled_worker)
    lines: list[Line] = _priority_lines(year, low_qualified, disabled_worker)
    accrued = ZERO
    activities = 0
    if employments:
        accrual = employee_accrual(year=year, employments=employments, priority=priority)
        accrued += accrual.amount
        lines.extend(accrual.lines)
        activities += 1
    if self_employment is not None:
        accrual = self_employed_accrual(year=year, activity=self_employment, priority=priority)
        accrued += accrual.amount
        lines.extend(accrual.lines)
        activities += 1
    if activities > 1 and accrued > params.annual(priority):
        accrued = params.annual(priority)
        lines.append(
            _line(
                gettext_noop("Several activities in the same year: at most %(annual)s is earned for the year."),
                (citation("several_activities"),),
                annual=Money(accrued),
            )
        )
    if not activities:
        if job_seeker:
            lines.append(
                _line(
                    gettext_noop("Job seekers accrue no rights while unemployed."),
                    (citation("accrual_by_work"),),
                )
            )
            lines.append(
                _line(
                    gettext_noop("You keep the rights you already have (%(balance)s)."),
                    (citation("job_seeker_keeps_rights"),),
                    balance=Money(to_money(balance)),
                )
            )
        else:
            lines.append(
                _line(
                    gettext_noop("No activity declared for %(year)s: no rights accrue."),
                    (citation("accrual_by_work"),),
                    year=year,
                )
            )
    credit, cap, cap_line = capped_credit(year=year, accrued=accrued, balance=balance, priority=priority)
    if activities:
        lines.append(cap_line)
    balance = to_money(balance)
    return YearlyCredit(
        year=year,
        accrued=accrued,
        cap=cap,
        balance=balance,
        credit=credit,
        new_balance=balance + credit,
        priority=priority,
        lines=tuple(lines),
    )
