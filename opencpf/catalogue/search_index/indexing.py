"""Writing the index: a full rebuild in a new generation, incremental updates, and catching up with the database."""

import datetime
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.search_index.documents import iter_documents
from opencpf.catalogue.search_index.storage import (
    create_index,
    handle,
    index_root,
    new_generation_name,
    open_index,
    read_current,
    read_used_places,
    write_current,
    write_used_places,
    writer_lock,
)


@dataclass
class RebuildReport:
    documents: int
    seconds: float
    generation: str


def rebuild(*, heap_size: int = 1_000_000_000, threads: int = 1) -> RebuildReport:
    """Build a new generation from the database, switch to it atomically, then catch up on what changed meanwhile."""
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    started_at = timezone.now()
    generation = new_generation_name()
    index = create_index(root / generation)
    count = 0
    used_places: set[int] = set()
    # One indexing thread with a large memory budget: one segment for the whole catalogue (200 000 offers fit),
    # which queries read fastest; Python building the documents is the bottleneck anyway.
    writer = index.writer(heap_size=heap_size, num_threads=threads)
    try:
        for _offer_id, doc, keys in iter_documents():
            writer.add_document(doc)
            used_places |= keys
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        write_used_places(root / generation, used_places)
    except BaseException:
        shutil.rmtree(root / generation, ignore_errors=True)
        raise
    with writer_lock(root):
        previous = read_current(root)
        write_current(root, generation)
        _remove_old_generations(root, keep={generation, previous["generation"] if previous else ""})
    # Offers changed while we were reading the database: index them again in the new generation.
    changed = list(
        Offer.objects.filter(search_changed_at__gte=started_at - datetime.timedelta(seconds=5)).values_list(
            "id", flat=True
        )
    )
    if changed:
        update(offer_ids=changed)
    (root / "synced_at").write_text(started_at.isoformat())
    handle().searcher()
    return RebuildReport(documents=count, seconds=time.monotonic() - started, generation=generation)


def _remove_old_generations(root: Path, keep: set[str]) -> None:
    for path in root.glob("gen-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def update(*, offer_ids: Iterable[int] = (), organisation_ids: Iterable[int] = ()) -> int:
    """Index again these offers (and every offer of these organisations) from the database; returns documents added.

    Offers that are no longer searchable (unpublished, organisation not approved, Qualiopi expired) are removed.
    """
    offer_ids = set(offer_ids)
    organisation_ids = set(organisation_ids)
    if organisation_ids:
        offer_ids |= set(Offer.objects.filter(organisation_id__in=organisation_ids).values_list("id", flat=True))
    if not offer_ids and not organisation_ids:
        return 0
    root = index_root()
    view = handle()
    view.searcher()  # make sure an index exists
    added = 0
    with writer_lock(root):
        current = read_current(root)
        index = open_index(root / current["generation"])
        writer = index.writer(heap_size=30_000_000, num_threads=1)
        try:
            for organisation_id in organisation_ids:
                writer.delete_documents_by_term("org_id", organisation_id)
            for offer_id in offer_ids:
                writer.delete_documents_by_term("offer_id", offer_id)
            new_places: set[int] = set()
            for _offer_id, doc, keys in iter_documents(offer_ids=offer_ids):
                writer.add_document(doc)
                new_places |= keys
                added += 1
            known = read_used_places(root / current["generation"])
            if not new_places <= known:
                # Before the commit, so that a reader seeing the new documents also knows their communes.
                write_used_places(root / current["generation"], known | new_places)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
            del writer
    view.searcher()
    return added


def sync(*, since: datetime.datetime | None = None) -> int:
    """Catch up with the database: offers changed since the last sync, offers whose sessions started (they are no
    longer upcoming) and organisations whose Qualiopi certificate expired. Run it on every app server (cron or
    `sync_search_index --follow`) when several servers each keep their own copy."""
    root = index_root()
    marker = root / "synced_at"
    now = timezone.now()
    if since is None:
        try:
            since = datetime.datetime.fromisoformat(marker.read_text().strip())
        except (FileNotFoundError, ValueError):
            since = now - datetime.timedelta(days=1)
    since_day = timezone.localdate(since)
    today = timezone.localdate(now)
    margin = datetime.timedelta(seconds=5)
    offer_ids = set(Offer.objects.filter(search_changed_at__gte=since - margin).values_list("id", flat=True))
    offer_ids |= set(
        Session.objects.filter(start_date__gte=since_day, start_date__lt=today).values_list("offer_id", flat=True)
    )
    organisation_ids = set(
        Offer.objects.filter(
            organisation__qualiopi_expires_on__gte=since_day - datetime.timedelta(days=1),
            organisation__qualiopi_expires_on__lt=today,
        ).values_list("organisation_id", flat=True)
    )
    count = update(offer_ids=offer_ids, organisation_ids=organisation_ids) if offer_ids or organisation_ids else 0
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text(now.isoformat())
    return count
