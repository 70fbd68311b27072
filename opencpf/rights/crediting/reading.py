"""Step 1 of a chunk: one query aggregates the year's declarations per holder next to the holder's priority flags
and acquired balance (closed accounts and holders already credited left out); a second one, for the few holders
whose employers use different reference durations, reads their declarations one by one."""

from __future__ import annotations

from fractions import Fraction

from opencpf.accounts.models import Holder
from opencpf.rights import rules
from opencpf.rights.enums import AbsenceKind, MovementKind
from opencpf.rights.models import EmploymentDeclaration, LedgerEntry, RightsAccount, SelfEmployedDeclaration


def _counted_hours_sql(year: int) -> str:
    counted = rules.YearParameters.for_year(year).absences_counted_as_work
    columns = ["hours_worked"] + [f"{kind}_hours" for kind in AbsenceKind.values if kind in counted]
    return " + ".join(columns)


def fetch(cursor, year: int, first_id: int, last_id: int) -> list[tuple]:
    holder = Holder._meta.db_table
    account = RightsAccount._meta.db_table
    employment = EmploymentDeclaration._meta.db_table
    self_employed = SelfEmployedDeclaration._meta.db_table
    ledger = LedgerEntry._meta.db_table
    cursor.execute(
        f"""
        SELECT h.id, h.low_qualified, h.disabled_worker,
               CAST(ROUND(COALESCE(a.acquired, 0) * 100) AS BIGINT), a.holder_id IS NOT NULL,
               e.hours, e.reference_min, e.reference_max, e.declarations,
               s.months, s.contribution_paid
        FROM {holder} h
        LEFT JOIN {account} a ON a.holder_id = h.id AND a.holder_id >= %s AND a.holder_id <= %s
        LEFT JOIN (
            SELECT holder_id,
                   CAST(ROUND(SUM({_counted_hours_sql(year)}) * 100) AS BIGINT) AS hours,
                   CAST(ROUND(MIN(reference_hours) * 100) AS BIGINT) AS reference_min,
                   CAST(ROUND(MAX(reference_hours) * 100) AS BIGINT) AS reference_max,
                   COUNT(*) AS declarations
            FROM {employment}
            WHERE year = %s AND holder_id >= %s AND holder_id <= %s
            GROUP BY holder_id
        ) e ON e.holder_id = h.id
        LEFT JOIN {self_employed} s
               ON s.holder_id = h.id AND s.year = %s AND s.holder_id >= %s AND s.holder_id <= %s
        WHERE h.id >= %s AND h.id <= %s
          AND h.closed_on IS NULL AND a.closed_on IS NULL
          AND (e.holder_id IS NOT NULL OR s.holder_id IS NOT NULL)
          AND NOT EXISTS (
              SELECT 1 FROM {ledger} l
              WHERE l.holder_id = h.id AND l.kind = %s AND l.year = %s AND l.holder_id >= %s AND l.holder_id <= %s
          )
        ORDER BY h.id
        """,
        [
            first_id,
            last_id,
            year,
            first_id,
            last_id,
            year,
            first_id,
            last_id,
            first_id,
            last_id,
            MovementKind.YEARLY_CREDIT.value,
            year,
            first_id,
            last_id,
        ],
    )
    return cursor.fetchall()


def shares(cursor, year: int, holder_ids: list[int]) -> dict[int, Fraction]:
    """For the few holders whose employers use different reference durations: sum of hours / reference."""
    if not holder_ids:
        return {}
    employment = EmploymentDeclaration._meta.db_table
    placeholders = ", ".join(["%s"] * len(holder_ids))
    cursor.execute(
        f"""
        SELECT holder_id, CAST(ROUND(({_counted_hours_sql(year)}) * 100) AS BIGINT),
               CAST(ROUND(reference_hours * 100) AS BIGINT)
        FROM {employment} WHERE year = %s AND holder_id IN ({placeholders})
        """,
        [year, *holder_ids],
    )
    shares: dict[int, Fraction] = {}
    for holder_id, hours, reference in cursor.fetchall():
        shares[holder_id] = shares.get(holder_id, Fraction(0)) + Fraction(int(hours), int(reference))
    return shares
