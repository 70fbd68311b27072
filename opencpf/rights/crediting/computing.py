"""Step 2 of a chunk: each holder's credit in cents, cap included, from the aggregated rows (pure, no database)."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from opencpf.rights import rules
from opencpf.rights.rules.holder import in_priority_group


class Credit(NamedTuple):
    holder_id: int
    amount_cents: int
    cap_cents: int
    acquired_cents: int  # acquired rights before the credit
    account_exists: bool
    low_qualified: bool
    disabled_worker: bool


def compute(year: int, rows: list[tuple], shares: dict[int, Fraction]) -> list[Credit]:
    """Each holder's credit in cents from the aggregated rows of `reading.fetch` (pure, no database)."""
    rule = rules.CentsRule.for_year(year)
    employee, employee_share = rule.employee, rule.employee_share
    self_employed, capped = rule.self_employed, rule.credit
    credits = []
    append = credits.append
    for (
        holder_id,
        low_qualified,
        disabled_worker,
        acquired,
        account_exists,
        hours,
        reference_min,
        reference_max,
        declarations,
        months,
        paid,
    ) in rows:
        priority = in_priority_group(low_qualified=low_qualified, disabled_worker=disabled_worker)
        accrued = 0
        if declarations:
            if reference_min == reference_max:
                accrued = employee(priority, hours, reference_min)
            else:
                accrued = employee_share(priority, shares[holder_id])
        if months is not None:
            accrued += self_employed(priority, months, bool(paid))
        amount, cap = capped(priority, accrued, bool(declarations) and months is not None, acquired)
        append(
            Credit(holder_id, amount, cap, acquired, bool(account_exists), bool(low_qualified), bool(disabled_worker))
        )
    return credits
