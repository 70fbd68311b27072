"""The batch driver: a year's holder ids cut into chunks, credited one after the other or by a pool of forked
worker processes (PostgreSQL), with a progress callback after each chunk."""

from __future__ import annotations

import datetime
import multiprocessing
from collections.abc import Callable, Iterator

from django.db import connection, connections
from django.utils import timezone

from opencpf.accounts.models import Holder
from opencpf.rights import rules
from opencpf.rights.crediting.chunk import credit_chunk
from opencpf.rights.crediting.report import ChunkResult


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
