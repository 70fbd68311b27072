"""One chunk of holder ids credited in one transaction (read, compute, write), all or nothing, retried when a
concurrent change makes it fail."""

from __future__ import annotations

import datetime
import time

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from opencpf.rights.crediting import reading
from opencpf.rights.crediting.computing import compute
from opencpf.rights.crediting.report import ChunkResult, Clock
from opencpf.rights.crediting.writing import write_portable, write_postgresql

MAX_ATTEMPTS = 5


def credit_chunk(year: int, first_id: int, last_id: int, on_date: datetime.date, dry_run: bool = False) -> ChunkResult:
    """Credit holders with ids in [first_id, last_id] for `year`; retried on a serialization failure. A dry run
    reads and computes the same credits and writes nothing."""
    result = ChunkResult(first_id=first_id, last_id=last_id)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result.attempts = attempt
        outermost = not connection.in_atomic_block
        clock = Clock(result.seconds)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                postgresql = connection.vendor == "postgresql"
                if postgresql and outermost:  # inside a caller's transaction (tests), the caller's level rules
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                if postgresql:
                    cursor.execute("SET LOCAL work_mem = '64MB'")  # sorts and hashes of a chunk in memory
                rows = reading.fetch(cursor, year, first_id, last_id)
                clock.lap("read declarations and balances")
                several_references = [row[0] for row in rows if row[8] and row[6] != row[7]]
                credits = compute(year, rows, reading.shares(cursor, year, several_references))
                clock.lap("compute")
                if credits and not dry_run:
                    writer = write_postgresql if postgresql else write_portable
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
