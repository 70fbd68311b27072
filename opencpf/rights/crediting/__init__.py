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

By step: `reading` (1), `computing` (2), `writing` (3), `chunk` (one chunk's transaction and its retries),
`batch` (the chunks of a year, in one process or a pool of workers), `report` (what a chunk reports back).
The names below are the ones imported from this package elsewhere.
"""

from opencpf.rights.crediting.batch import credit_year
from opencpf.rights.crediting.chunk import credit_chunk

__all__ = ["credit_chunk", "credit_year"]
