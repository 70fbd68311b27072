"""Looking ahead: what a year in a given situation would credit (the public simulator), and, for an account at
0 €, when rights arrive."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from opencpf.accounts.enums import HolderStatus
from opencpf.accounts.models import Holder
from opencpf.parameters import Reference, parameter
from opencpf.rights import rules
from opencpf.rights.calendar import CREDITING_DAY, credited_by, next_credited_year
from opencpf.rights.enums import MovementKind
from opencpf.rights.models import LedgerEntry
from opencpf.rights.rules.holder import holder_in_priority_group
from opencpf.utils.legal import legal_value

ZERO = Decimal("0.00")


def credit_simulate(
    *,
    year: int,
    status: str,
    hours_worked: Decimal | None = None,
    reference_hours: Decimal | None = None,
    months_active: int | None = None,
    low_qualified: bool = False,
    disabled_worker: bool = False,
    balance: Decimal | None = None,
) -> rules.YearlyCredit:
    """What a year in this situation would credit (the public simulator, web page and API alike)."""
    return rules.yearly_credit(
        year=year,
        employments=[rules.Employment(hours_worked=hours_worked, reference_hours=reference_hours)]
        if status == HolderStatus.EMPLOYEE
        else [],
        self_employment=rules.SelfEmployment(months=months_active, contribution_paid=True)
        if status == HolderStatus.SELF_EMPLOYED
        else None,
        job_seeker=status == HolderStatus.JOB_SEEKER,
        low_qualified=low_qualified,
        disabled_worker=disabled_worker,
        balance=balance or ZERO,
    )


@dataclass(frozen=True)
class EmptyAccountOutlook:
    """Why a holder's account shows 0 € and when rights arrive: rights for year N are credited during N+1, from
    the hours the employers declared (DESIGN §2.1, Code du travail L6323-11)."""

    ever_credited: bool  # rights came in before, and were used
    job_seeker: bool  # no rights accrue while unemployed
    worked_year: int  # the year whose work is credited next
    credited_by: datetime.date  # the last day that credit arrives (rights/crediting_day)
    annual_amount: str  # a full year's credit in force, formatted for people
    references: tuple[Reference, ...]


def _each_article_once(references: tuple[Reference, ...]) -> tuple[Reference, ...]:
    first: dict[str, Reference] = {}
    for reference in references:
        first.setdefault(reference.href, reference)
    return tuple(first.values())


def empty_account_outlook(holder: Holder, *, today: datetime.date) -> EmptyAccountOutlook:
    """Only for an account at 0 €: one query. The credit for last year comes this year unless it is already in."""
    credited_years = set(
        LedgerEntry.objects.filter(holder=holder, kind=MovementKind.YEARLY_CREDIT).values_list("year", flat=True)
    )
    worked_year = next_credited_year(today=today, last_year_credited=today.year - 1 in credited_years)
    priority = holder_in_priority_group(holder)
    return EmptyAccountOutlook(
        ever_credited=bool(credited_years) or LedgerEntry.objects.filter(holder=holder).exists(),
        job_seeker=holder.status == HolderStatus.JOB_SEEKER,
        worked_year=worked_year,
        credited_by=credited_by(worked_year),
        annual_amount=legal_value("rights/annual_amount_priority" if priority else "rights/annual_amount", on=today),
        references=_each_article_once(
            parameter("rights/annual_amount").references(today)
            + parameter(CREDITING_DAY).references(datetime.date(worked_year + 1, 1, 1))
        ),
    )
