"""The yearly crediting batch: every holder's credit for year N, set-based, in chunks of holder ids.

For each chunk, in one transaction:
1. one SQL query aggregates the year's declarations per holder (several employers add up, counted absences
   included) next to the holder's priority flags and acquired balance, leaving out closed accounts and
   holders already credited for N;
2. Python computes each credit with `rules.CentsRule` (the integer twin of `rules.yearly_credit`, which
   tests keep in agreement) — cap included;
3. the credits are written in bulk (PostgreSQL: COPY into the ledger, then one upsert of the balances;
   SQLite: executemany), the database checking the invariants (one credit per holder and year, cap).

A chunk is all or nothing; re-running skips what is done, so the batch can be stopped and resumed and a
second run changes nothing. On PostgreSQL chunks run in REPEATABLE READ: if a holder's balance moves while
a chunk computes, the chunk fails with a serialization error and is retried.
"""

from __future__ import annotations

import datetime
import io
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import DatabaseError, IntegrityError, OperationalError, connection, connections, transaction
from django.utils import timezone

from opencpf.accounts.models import Holder
from opencpf.rights import rules
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import EmploymentDeclaration, LedgerEntry, RightsAccount, SelfEmployedDeclaration

MAX_ATTEMPTS = 5


@dataclass
class ChunkResult:
    first_id: int
    last_id: int
    holders: int = 0  # holders credited in this chunk (a ledger entry each, possibly 0 € when capped)
    amount_cents: int = 0
    attempts: int = 1


def _hundredths(value) -> int:
    """Hours or euros from the database (Decimal on PostgreSQL, int or float on SQLite) in hundredths."""
    if isinstance(value, Decimal):
        return int(value * 100)
    return round(value * 100)


def _counted_hours_sql(year: int) -> str:
    counted = rules.YearParameters.for_year(year).counted_absences
    columns = ["hours_worked"] + [f"{kind}_hours" for kind in rules.ABSENCE_KINDS if kind in counted]
    return " + ".join(columns)


def _fetch(cursor, year: int, first_id: int, last_id: int) -> list[tuple]:
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
        LEFT JOIN {account} a ON a.holder_id = h.id
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
        LEFT JOIN {self_employed} s ON s.holder_id = h.id AND s.year = %s
        WHERE h.id >= %s AND h.id <= %s
          AND h.closed_on IS NULL AND a.closed_on IS NULL
          AND (e.holder_id IS NOT NULL OR s.holder_id IS NOT NULL)
          AND NOT EXISTS (
              SELECT 1 FROM {ledger} l WHERE l.holder_id = h.id AND l.kind = %s AND l.year = %s
          )
        ORDER BY h.id
        """,
        [year, first_id, last_id, year, first_id, last_id, MovementKind.YEARLY_CREDIT.value, year],
    )
    return cursor.fetchall()


def _shares(cursor, year: int, holder_ids: list[int]) -> dict[int, Fraction]:
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


@dataclass(frozen=True)
class Credit:
    holder_id: int
    amount_cents: int
    cap_cents: int
    acquired_cents: int
    account_exists: bool
    low_qualified: bool
    disabled_worker: bool


def compute(year: int, rows: list[tuple], shares: dict[int, Fraction]) -> list[Credit]:
    """Each holder's credit in cents from the aggregated rows of `_fetch` (pure, no database)."""
    rule = rules.CentsRule.for_year(year)
    credits = []
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
        priority = bool(low_qualified or disabled_worker)
        accrued = 0
        if declarations:
            if reference_min == reference_max:
                accrued = rule.employee(priority, int(hours), int(reference_min))
            else:
                accrued = rule.employee_share(priority, shares[holder_id])
        if months is not None:
            accrued += rule.self_employed(priority, int(months), bool(paid))
        amount, cap = rule.credit(priority, accrued, bool(declarations) and months is not None, int(acquired))
        credits.append(
            Credit(
                holder_id=holder_id,
                amount_cents=amount,
                cap_cents=cap,
                acquired_cents=int(acquired),
                account_exists=bool(account_exists),
                low_qualified=bool(low_qualified),
                disabled_worker=bool(disabled_worker),
            )
        )
    return credits


def _cents(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def _details(credit: Credit) -> str:
    return json.dumps(
        {
            "balance": _cents(credit.acquired_cents),
            "low_qualified": credit.low_qualified,
            "disabled_worker": credit.disabled_worker,
        }
    )


def _write_postgresql(cursor, year: int, credits: list[Credit], on_date: datetime.date, now: datetime.datetime):
    ledger = LedgerEntry._meta.db_table
    account = RightsAccount._meta.db_table
    kind, bucket = MovementKind.YEARLY_CREDIT.value, Bucket.ACQUIRED.value
    day, stamp = on_date.isoformat(), now.isoformat()
    buffer = io.StringIO()
    for credit in credits:
        buffer.write(
            f"{credit.holder_id}\t{kind}\t{bucket}\t{_cents(credit.amount_cents)}\t{year}\t{day}\t{stamp}\t"
            f"{_details(credit)}\t\n"
        )
    with cursor.copy(
        f"COPY {ledger} (holder_id, kind, bucket, amount, year, effective_on, created_at, details, reason) FROM STDIN"
    ) as copy:
        copy.write(buffer.getvalue())
    moves = [c for c in credits if c.amount_cents or not c.account_exists]
    if not moves:
        return
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS rights_credit_batch "
        "(holder_id bigint, amount numeric(9,2), cap numeric(9,2)) ON COMMIT DELETE ROWS"
    )
    cursor.execute("TRUNCATE rights_credit_batch")  # empty even when chunks share a caller's transaction
    buffer = io.StringIO()
    for credit in moves:
        buffer.write(f"{credit.holder_id}\t{_cents(credit.amount_cents)}\t{_cents(credit.cap_cents)}\n")
    with cursor.copy("COPY rights_credit_batch (holder_id, amount, cap) FROM STDIN") as copy:
        copy.write(buffer.getvalue())
    cursor.execute(
        f"""
        INSERT INTO {account} (holder_id, acquired, top_ups, cap, closed_on, updated_at)
        SELECT holder_id, amount, 0, cap, NULL, %s FROM rights_credit_batch
        ON CONFLICT (holder_id) DO UPDATE
           SET acquired = {account}.acquired + EXCLUDED.acquired,
               cap = EXCLUDED.cap,
               updated_at = EXCLUDED.updated_at
        WHERE EXCLUDED.acquired > 0
        """,
        [now],
    )


def _write_portable(cursor, year: int, credits: list[Credit], on_date: datetime.date, now: datetime.datetime):
    ledger = LedgerEntry._meta.db_table
    account = RightsAccount._meta.db_table
    cursor.executemany(
        f"INSERT INTO {ledger} (holder_id, kind, bucket, amount, year, effective_on, created_at, details, reason) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '')",
        [
            (
                c.holder_id,
                MovementKind.YEARLY_CREDIT.value,
                Bucket.ACQUIRED.value,
                _cents(c.amount_cents),
                year,
                on_date.isoformat(),
                now.isoformat(),
                _details(c),
            )
            for c in credits
        ],
    )
    # Balances are written as absolute values computed in Python: SQLite stores decimals as floats and
    # float sums could drift past the cap. The chunk's transaction holds SQLite's write lock meanwhile.
    cursor.executemany(
        f"""
        INSERT INTO {account} (holder_id, acquired, top_ups, cap, closed_on, updated_at)
        VALUES (%s, %s, 0, %s, NULL, %s)
        ON CONFLICT (holder_id) DO UPDATE
           SET acquired = excluded.acquired, cap = excluded.cap, updated_at = excluded.updated_at
        """,
        [
            (c.holder_id, _cents(c.acquired_cents + c.amount_cents), _cents(c.cap_cents), now.isoformat())
            for c in credits
            if c.amount_cents or not c.account_exists
        ],
    )


def credit_chunk(year: int, first_id: int, last_id: int, on_date: datetime.date) -> ChunkResult:
    """Credit holders with ids in [first_id, last_id] for `year`; retried on a serialization failure."""
    result = ChunkResult(first_id=first_id, last_id=last_id)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result.attempts = attempt
        outermost = not connection.in_atomic_block
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                postgresql = connection.vendor == "postgresql"
                if postgresql and outermost:  # inside a caller's transaction (tests), the caller's level rules
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                rows = _fetch(cursor, year, first_id, last_id)
                several_references = [row[0] for row in rows if row[8] and row[6] != row[7]]
                credits = compute(year, rows, _shares(cursor, year, several_references))
                if credits:
                    writer = _write_postgresql if postgresql else _write_portable
                    writer(cursor, year, credits, on_date, timezone.now())
        except (OperationalError, IntegrityError):
            # A concurrent change (serialization failure, or another run crediting the same holder): retry.
            if attempt == MAX_ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)
            continue
        result.holders = len(credits)
        result.amount_cents = sum(c.amount_cents for c in credits)
        return result
    raise DatabaseError("unreachable")  # pragma: no cover


def chunks(chunk_size: int) -> Iterator[tuple[int, int]]:
    bounds = Holder.objects.order_by().values_list("id", flat=True)
    first = bounds.order_by("id").first()
    last = bounds.order_by("-id").first()
    if first is None:
        return
    start = first
    while start <= last:
        yield start, min(start + chunk_size - 1, last)
        start += chunk_size


def _worker(arguments: tuple[int, int, int, datetime.date]) -> ChunkResult:
    year, first_id, last_id, on_date = arguments
    return credit_chunk(year, first_id, last_id, on_date)


def _worker_init() -> None:
    # Forked children open their own database connections (the parent closed its own before forking).
    connections.close_all()


def credit_year(
    year: int,
    *,
    chunk_size: int = 50_000,
    workers: int = 1,
    on_date: datetime.date | None = None,
    progress: Callable[[ChunkResult, int, int], None] | None = None,
) -> list[ChunkResult]:
    """Credit every holder for `year`. `progress(result, chunks_done, chunks_total)` after each chunk."""
    on_date = on_date or timezone.localdate()
    rules.YearParameters.for_year(year)  # fails early if the law has no values for that year
    ranges = list(chunks(chunk_size))
    arguments = [(year, first, last, on_date) for first, last in ranges]
    results: list[ChunkResult] = []
    if workers <= 1 or connection.vendor != "postgresql" or len(ranges) < 2:
        for item in arguments:
            results.append(_worker(item))
            if progress:
                progress(results[-1], len(results), len(ranges))
        return results
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=workers, initializer=_worker_init) as pool:
        for result in pool.imap_unordered(_worker, arguments):
            results.append(result)
            if progress:
                progress(result, len(results), len(ranges))
    return results
