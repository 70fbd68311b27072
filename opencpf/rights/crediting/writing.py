"""Step 3 of a chunk: the credits written in bulk, the ledger entries then the balances. PostgreSQL: COPY, then
one relative update and one insert; SQLite: executemany of absolute values."""

from __future__ import annotations

import datetime
import json

from opencpf.rights.crediting.computing import Credit
from opencpf.rights.crediting.report import Clock
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount
from opencpf.rights.services.yearly_credit import credit_details


def _cents(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


# What a yearly credit entry keeps besides its amount: the priority flags at crediting time (the balance before
# it is the sum of the holder's earlier entries). Four possible values, written as they are.
_DETAILS = {
    (low, disabled): json.dumps(credit_details(low_qualified=low, disabled_worker=disabled))
    for low in (False, True)
    for disabled in (False, True)
}


def write_postgresql(
    cursor, year: int, credits: list[Credit], on_date: datetime.date, now: datetime.datetime, clock: Clock
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


def write_portable(
    cursor, year: int, credits: list[Credit], on_date: datetime.date, now: datetime.datetime, clock: Clock
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
