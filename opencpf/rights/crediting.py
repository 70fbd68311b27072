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
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

from django.db import DatabaseError, IntegrityError, OperationalError, connection, connections, transaction
from django.utils import timezone

from opencpf.accounts.models import Holder
from opencpf.rights import rules
from opencpf.rights.enums import AbsenceKind, Bucket, MovementKind
from opencpf.rights.models import EmploymentDeclaration, LedgerEntry, RightsAccount, SelfEmployedDeclaration
from opencpf.rights.rules.holder import in_priority_group
from opencpf.rights.services.yearly_credit import credit_details

MAX_ATTEMPTS = 5


@dataclass
class ChunkResult:
    first_id: int
    last_id: int
    holders: int = 0  # holders credited in this chunk (a ledger entry each, possibly 0 € when capped)
    amount_cents: int = 0
    attempts: int = 1
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase, for `--verbosity 2`


class _Clock:
    """Adds the time spent in each phase of a chunk to `seconds[phase]`."""

    def __init__(self, seconds: dict[str, float]):
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self.last
        self.last = now


def _counted_hours_sql(year: int) -> str:
    counted = rules.YearParameters.for_year(year).absences_counted_as_work
    columns = ["hours_worked"] + [f"{kind}_hours" for kind in AbsenceKind.values if kind in counted]
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


class Credit(NamedTuple):
    holder_id: int
    amount_cents: int
    cap_cents: int
    acquired_cents: int  # acquired rights before the credit
    account_exists: bool
    low_qualified: bool
    disabled_worker: bool


def compute(year: int, rows: list[tuple], shares: dict[int, Fraction]) -> list[Credit]:
    """Each holder's credit in cents from the aggregated rows of `_fetch` (pure, no database)."""
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


def _cents(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


# What a yearly credit entry keeps besides its amount: the priority flags at crediting time (the balance before
# it is the sum of the holder's earlier entries). Four possible values, written as they are.
_DETAILS = {
    (low, disabled): json.dumps(credit_details(low_qualified=low, disabled_worker=disabled))
    for low in (False, True)
    for disabled in (False, True)
}


def _write_postgresql(
    cursor, year: int, credits: list[Credit], on_date: datetime.date, now: datetime.datetime, clock: _Clock
):
    ledger = LedgerEntry._meta.db_table
    account = RightsAccount._meta.db_table
    prefix = f"\t{MovementKind.YEARLY_CREDIT.value}\t{Bucket.ACQUIRED.value}\t"
    suffix = f"\t{year}\t{on_date.isoformat()}\t{now.isoformat()}\t"
    details = _DETAILS
    lines = [
        f"{c.holder_id}{prefix}{_cents(c.amount_cents)}{suffix}{details[c.low_qualified, c.disabled_worker]}\t\n"
        for c in credits
    ]
    with cursor.copy(
        f"COPY {ledger} (holder_id, kind, bucket, amount, year, effective_on, created_at, details, reason) FROM STDIN"
    ) as copy:
        copy.write("".join(lines))
    clock.lap("write ledger (COPY)")
    moves = [c for c in credits if c.amount_cents or not c.account_exists]
    if not moves:
        return
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS rights_credit_batch "
        "(holder_id bigint, amount numeric(9,2), cap numeric(9,2), new boolean) ON COMMIT DELETE ROWS"
    )
    cursor.execute("TRUNCATE rights_credit_batch")  # empty even when chunks share a caller's transaction
    rows = [
        f"{c.holder_id}\t{_cents(c.amount_cents)}\t{_cents(c.cap_cents)}\t{'f' if c.account_exists else 't'}\n"
        for c in moves
    ]
    with cursor.copy("COPY rights_credit_batch (holder_id, amount, cap, new) FROM STDIN") as copy:
        copy.write("".join(rows))
    cursor.execute("ANALYZE rights_credit_batch")  # temporary tables have no statistics: give the planner some
    clock.lap("write balances (COPY)")
    # Existing accounts: a relative update (exact numeric arithmetic; REPEATABLE READ makes a concurrent change
    # fail the chunk, which is then retried). Missing accounts: created; one created meanwhile fails the chunk too.
    cursor.execute(
        f"""
        UPDATE {account} a SET acquired = a.acquired + b.amount, cap = b.cap, updated_at = %s
        FROM rights_credit_batch b
        WHERE a.holder_id = b.holder_id AND NOT b.new AND b.amount > 0
        """,
        [now],
    )
    cursor.execute(
        f"""
        INSERT INTO {account} (holder_id, acquired, top_ups, cap, closed_on, updated_at)
        SELECT holder_id, amount, 0, cap, NULL, %s FROM rights_credit_batch WHERE new
        """,
        [now],
    )
    clock.lap("write balances (update)")


def _write_portable(
    cursor, year: int, credits: list[Credit], on_date: datetime.date, now: datetime.datetime, clock: _Clock
):
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
                _DETAILS[c.low_qualified, c.disabled_worker],
            )
            for c in credits
        ],
    )
    clock.lap("write ledger")
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
    clock.lap("write balances")


def credit_chunk(year: int, first_id: int, last_id: int, on_date: datetime.date, dry_run: bool = False) -> ChunkResult:
    """Credit holders with ids in [first_id, last_id] for `year`; retried on a serialization failure. A dry run
    reads and computes the same credits and writes nothing."""
    result = ChunkResult(first_id=first_id, last_id=last_id)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result.attempts = attempt
        outermost = not connection.in_atomic_block
        clock = _Clock(result.seconds)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                postgresql = connection.vendor == "postgresql"
                if postgresql and outermost:  # inside a caller's transaction (tests), the caller's level rules
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                if postgresql:
                    cursor.execute("SET LOCAL work_mem = '64MB'")  # sorts and hashes of a chunk in memory
                rows = _fetch(cursor, year, first_id, last_id)
                clock.lap("read declarations and balances")
                several_references = [row[0] for row in rows if row[8] and row[6] != row[7]]
                credits = compute(year, rows, _shares(cursor, year, several_references))
                clock.lap("compute")
                if credits and not dry_run:
                    writer = _write_postgresql if postgresql else _write_portable
                    writer(cursor, year, credits, on_date, timezone.now(), clock)
            clock.lap("commit")
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


def _worker(arguments: tuple[int, int, int, datetime.date, bool]) -> ChunkResult:
    return credit_chunk(*arguments)


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
    dry_run: bool = False,
) -> list[ChunkResult]:
    """Credit every holder for `year`. `progress(result, chunks_done, chunks_total)` after each chunk. A dry run
    computes every credit and writes nothing."""
    on_date = on_date or timezone.localdate()
    rules.YearParameters.for_year(year)  # fails early if the law has no values for that year
    ranges = list(chunks(chunk_size))
    arguments = [(year, first, last, on_date, dry_run) for first, last in ranges]
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
