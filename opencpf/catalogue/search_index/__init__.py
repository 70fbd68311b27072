"""The embedded tantivy index of the catalogue: derived from the database, which stays the only source of truth.

One document per searchable offer (published, organisation approved with a Qualiopi certificate valid on the day
of indexing; the expiry is checked again at query time). Upcoming sessions are stored in the offer's document as
multi-valued fields, including `pd`: for each on-site session, where it is (its commune and the grid cells that
hold it) combined with when it starts (its day and the aligned blocks of days that hold it). A query for "a
session in one of these communes AND starting between these days" asks for a set of such terms (the area covered
by a few cells and communes, the period by a few blocks), so that place and dates hold for the same session, not
for two different sessions of one offer.

Layout on disk under `settings.SEARCH_INDEX_DIR` (one copy per app server):
    CURRENT            JSON {"generation": "gen-…", "schema": N}, replaced atomically by a rebuild
    gen-…/             the tantivy index of that generation (+ used_places.json: communes with sessions in it)
    writer.lock        flock taken by whoever writes (rebuild swap, incremental updates)
    synced_at          the last `sync_search_index` watermark
Every process keeps its own reader and reopens (new generation) or reloads (new commit) it when the files say so:
two `stat` calls per search.

How it follows the database: every write of `catalogue.services` marks the offers it touches
(`Offer.search_changed_at`) and, on commit, enqueues `tasks.search_index_update_task`, which calls `update()`
(the offers are read again from the database; those no longer searchable are removed). A rebuild (`rebuild()`,
`manage.py rebuild_search_index`) builds a new generation and catches up on what changed meanwhile. When several
app servers each keep their own copy, each runs `manage.py sync_search_index --follow 5` (or from cron), which
indexes again the offers changed since its last pass, those whose sessions have started and those whose
organisation's Qualiopi certificate has expired.

Modules: `text` (analysis of texts and queries), `terms` (schema; day, place and period terms), `documents` (from
the database), `storage` (the files, the lock and this process's reader), `indexing` (rebuild, update, sync),
`ranking` (how results are ordered: the one place that says it).
"""

from opencpf.catalogue.search_index.documents import iter_documents
from opencpf.catalogue.search_index.indexing import RebuildReport, rebuild, sync, update
from opencpf.catalogue.search_index.storage import IndexHandle, IndexState, handle, index_root
from opencpf.catalogue.search_index.terms import (
    NO_DATE,
    REMOTE_KEY,
    SCHEMA,
    SCHEMA_VERSION,
    SPACE_PLACE,
    SpaceCover,
    day_from_number,
    day_number,
    period_code,
    period_pieces,
    space_term,
)
from opencpf.catalogue.search_index.text import ANALYZER, prepare_query_text, prepare_text

__all__ = [
    "ANALYZER",
    "NO_DATE",
    "REMOTE_KEY",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SPACE_PLACE",
    "IndexHandle",
    "IndexState",
    "RebuildReport",
    "SpaceCover",
    "day_from_number",
    "day_number",
    "handle",
    "index_root",
    "iter_documents",
    "period_code",
    "period_pieces",
    "prepare_query_text",
    "prepare_text",
    "rebuild",
    "space_term",
    "sync",
    "update",
]
