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
"""

import contextlib
import datetime
import fcntl
import functools
import json
import logging
import math
import os
import re
import shutil
import threading
import time
import uuid
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection
from django.utils import timezone

from opencpf.catalogue.enums import Modality
from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.selectors import public_offers
from opencpf.places.selectors import commune_key, place_by_commune_key

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 7
DAY_ZERO = datetime.date(2000, 1, 1)
NO_DATE = 65_535  # "no upcoming session": sorts after every real day
REMOTE_KEY = 0  # commune key of a remote session in the stored sessions

# Feminine job titles share the masculine's stem: "développeuse" finds "développeur", "conductrice" "conducteur".
_WORD = re.compile(r"\w+")
_FEMININE_ENDINGS = (
    ("euses", "eurs"),
    ("euse", "eur"),
    ("trices", "teurs"),
    ("trice", "teur"),
    ("iennes", "iens"),
    ("ienne", "ien"),
    ("ières", "iers"),
    ("ière", "ier"),
    ("gères", "gers"),
    ("gère", "ger"),
    ("chères", "chers"),
    ("chère", "cher"),
)


@functools.lru_cache(maxsize=200_000)
def _masculine(word: str) -> str | None:
    lower = word.lower()
    for feminine, masculine in _FEMININE_ENDINGS:
        if lower.endswith(feminine) and len(lower) - len(feminine) >= 2:
            return word[: len(word) - len(feminine)] + masculine
    return None


_INTRA_WORD_HYPHEN = re.compile(r"(?<=\w)[-‐‑–](?=\w)")
# Query syntax is not for the public: keep letters, digits, apostrophes and double quotes (phrases).
_QUERY_NOISE = re.compile(r"[^\w\s'’\"]+")


def fold_gender(text: str) -> str:
    """The text with feminine job titles replaced by the masculine ones (for queries)."""
    changed = {word: masculine for word in set(_WORD.findall(text)) if (masculine := _masculine(word))}
    if not changed:
        return text
    return _WORD.sub(lambda match: changed.get(match.group(0), match.group(0)), text)


_FEMININE_HINTS = ("euse", "trice", "ienne", "ière", "gère", "chère")


def prepare_text(text: str) -> str:
    """A document's text with the masculine forms of its feminine words added (the analyzer splits hyphens)."""
    text = text or ""
    lower = text.lower()
    if not any(hint in lower for hint in _FEMININE_HINTS):
        return text
    masculines = {masculine for word in set(_WORD.findall(text)) if (masculine := _masculine(word))}
    return f"{text}\n{' '.join(sorted(masculines))}" if masculines else text


def prepare_query_text(text: str) -> str:
    """User words, made safe for the query parser: no syntax but phrases, hyphens split, feminine forms folded."""
    text = _QUERY_NOISE.sub(" ", fold_gender(_INTRA_WORD_HYPHEN.sub(" ", (text or "").lower())))
    if text.count('"') % 2:
        text = text.replace('"', " ")
    return " ".join(text.split())


def french_analyzer() -> tantivy.TextAnalyzer:
    """Lower case, accents folded, French stop words, French (Snowball) stemmer; splits on non-alphanumerics."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stopword("french"))
        .filter(tantivy.Filter.stemmer("french"))
        .build()
    )


ANALYZER = french_analyzer()


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("offer_id", stored=True, indexed=True, fast=True)
    builder.add_integer_field("org_id", indexed=True, fast=True)
    builder.add_text_field("title", tokenizer_name="fr")  # for its boost only
    builder.add_text_field("text", tokenizer_name="fr")  # title and everything else: what words must match
    builder.add_text_field("cert", tokenizer_name="raw")
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_integer_field("price", indexed=True, fast=True)  # cents
    builder.add_integer_field("hours", indexed=True, fast=True)  # tenths of an hour
    builder.add_integer_field("rating", indexed=True, fast=True)  # average × 100, 0 when not rated
    builder.add_integer_field("remote", indexed=True, fast=True)  # 1 when remote or mixed
    builder.add_integer_field("qualiopi", indexed=True, fast=True)  # last day of the Qualiopi certificate
    builder.add_integer_field("next_start", fast=True)  # first upcoming session's day, NO_DATE when none
    builder.add_integer_field("day", indexed=True, fast=True)  # every upcoming session's start day
    builder.add_integer_field("place", indexed=True)  # space terms (commune, cells) of upcoming on-site sessions
    builder.add_integer_field("pd", indexed=True)  # space terms × aligned blocks of days, per on-site session
    builder.add_bytes_field("card", stored=True)  # JSON: what a result shows
    # start day, commune, start day, commune… of the upcoming sessions (native int32): what sorting by session needs.
    builder.add_bytes_field("when_where", stored=True)
    return builder.build()


SCHEMA = build_schema()


def day_number(day: datetime.date) -> int:
    return (day - DAY_ZERO).days


def day_from_number(number: int) -> datetime.date:
    return DAY_ZERO + datetime.timedelta(days=number)


# Where a session takes place, at three scales: its commune, the 0.1° grid cell and the 0.4° grid cell that hold it.
# A search area is covered by whole cells when every commune with sessions in a cell is inside the area (see
# `SpaceCover`), so a radius of 30 km around Paris takes about 50 terms instead of 330 communes.
SPACE_PLACE, SPACE_FINE, SPACE_COARSE = 0, 1, 2
_CELL_SIZES = {SPACE_FINE: 0.1, SPACE_COARSE: 0.4}


def space_term(kind: int, ident: int) -> int:
    return (kind << 23) | ident


def _cell(latitude: float, longitude: float, size: float) -> int:
    row = int(math.floor((latitude + 90) / size))
    column = int(math.floor((longitude + 180) / size))
    return row * int(round(360 / size)) + column


@functools.lru_cache(maxsize=65_536)
def space_terms(commune: int) -> tuple[int, ...]:
    """(commune, fine cell, coarse cell) terms of a commune key; the commune alone when its position is unknown."""
    place = place_by_commune_key(commune)
    if place is None:
        return (space_term(SPACE_PLACE, commune),)
    return (
        space_term(SPACE_PLACE, commune),
        space_term(SPACE_FINE, _cell(place.latitude, place.longitude, _CELL_SIZES[SPACE_FINE])),
        space_term(SPACE_COARSE, _cell(place.latitude, place.longitude, _CELL_SIZES[SPACE_COARSE])),
    )


class SpaceCover:
    """Turns a set of communes into the fewest space terms that match sessions in exactly these communes."""

    def __init__(self, used_places: Iterable[int]):
        self.cells: dict[int, tuple[int, int]] = {}
        self.sizes: dict[int, int] = {}
        for commune in used_places:
            terms = space_terms(commune)
            if len(terms) == 3:
                self.cells[commune] = (terms[1], terms[2])
                self.sizes[terms[1]] = self.sizes.get(terms[1], 0) + 1
                self.sizes[terms[2]] = self.sizes.get(terms[2], 0) + 1

    def cover(self, communes: Iterable[int]) -> list[int]:
        by_coarse: dict[int, list[int]] = {}
        terms: list[int] = []
        for commune in communes:
            cells = self.cells.get(commune)
            if cells is None:
                terms.append(space_term(SPACE_PLACE, commune))
            else:
                by_coarse.setdefault(cells[1], []).append(commune)
        for coarse, members in by_coarse.items():
            if len(members) == self.sizes[coarse]:
                terms.append(coarse)
                continue
            by_fine: dict[int, list[int]] = {}
            for commune in members:
                by_fine.setdefault(self.cells[commune][0], []).append(commune)
            for fine, fine_members in by_fine.items():
                if len(fine_members) == self.sizes[fine]:
                    terms.append(fine)
                else:
                    terms.extend(space_term(SPACE_PLACE, commune) for commune in fine_members)
        return terms


# `pd` terms: space term << 20 | level << 16 | (start day >> level). A session is indexed under its day and the
# aligned blocks of 4, 16, 64, 256 and 1024 days that hold it, so that any period is the union of a few blocks.
TIME_LEVELS = (0, 2, 4, 6, 8, 10)


def period_units(day: int) -> tuple[int, ...]:
    return tuple((level << 16) | (day >> level) for level in TIME_LEVELS)


def period_code(level: int, unit: int) -> int:
    """The low bits of a `pd` term: add `space term << 20` to get the term."""
    return (level << 16) | unit


@functools.lru_cache(maxsize=4096)
def period_pieces(first: int, last: int) -> tuple[tuple[int, int], ...]:
    """Cut days first..last (inclusive) into the fewest aligned blocks, as (level, unit)."""
    pieces = []
    low, high = first, last + 1
    while low < high:
        level = 0
        for candidate in TIME_LEVELS[1:]:
            if low % (1 << candidate) == 0 and low + (1 << candidate) <= high:
                level = candidate
            else:
                break
        pieces.append((level, low >> level))
        low += 1 << level
    return tuple(pieces)


def _decimal_text(value: Decimal | None, places: str = "0.01") -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


# ---------------------------------------------------------------------------------------------------------------
# Documents from the database


@dataclass
class _SessionRow:
    id: int
    start: int
    end: int
    key: int
    postal_code: str
    city: str


_OFFER_COLUMNS = (
    "id",
    "title",
    "summary",
    "objectives",
    "prerequisites",
    "programme",
    "price",
    "hours",
    "modality",
    "rating_average",
    "rating_count",
    "organisation_id",
    "organisation__name",
    "organisation__qualiopi_expires_on",
    "certification__code",
    "certification__kind",
    "certification__title",
    "certification__level",
)


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _sessions_by_offer(offer_ids: list[int], today: datetime.date) -> dict[int, list[_SessionRow]]:
    """Upcoming open sessions of these offers (sorted ids), earliest first (plain SQL: it reads a million sessions).

    For a batch of consecutive offers, asks for the range of ids it spans: an index range scan whatever the
    planner knows of the table."""
    sessions: dict[int, list[_SessionRow]] = {}
    if not offer_ids:
        return sessions
    wanted = set(offer_ids)
    if offer_ids[-1] - offer_ids[0] < 2 * len(offer_ids):
        which = {"offer_id__gte": offer_ids[0], "offer_id__lte": offer_ids[-1]}
    else:  # a few scattered offers (an incremental update)
        which = {"offer_id__in": offer_ids}
    queryset = (
        Session.objects.filter(**which, is_active=True, start_date__gte=today)
        .order_by("offer_id", "start_date", "id")
        .values_list("offer_id", "id", "start_date", "end_date", "is_remote", "postal_code", "city", "insee_code")
    )
    sql, params = queryset.query.sql_with_params()
    keys: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for offer_id, session_id, start, end, is_remote, postal_code, city, insee in cursor.fetchall():
            if offer_id not in wanted:
                continue
            if is_remote or not insee:
                key = REMOTE_KEY
            elif (key := keys.get(insee)) is None:
                key = keys[insee] = commune_key(insee)
            sessions.setdefault(offer_id, []).append(
                _SessionRow(session_id, day_number(_as_date(start)), day_number(_as_date(end)), key, postal_code, city)
            )
    return sessions


def _document(row: tuple, sessions: list[_SessionRow]) -> tantivy.Document:
    (
        offer_id,
        title,
        summary,
        objectives,
        prerequisites,
        programme,
        price,
        hours,
        modality,
        rating_average,
        rating_count,
        organisation_id,
        organisation_name,
        qualiopi_expires_on,
        certification_code,
        certification_kind,
        certification_title,
        certification_level,
    ) = row
    cities = " ".join(sorted({session.city for session in sessions if session.key != REMOTE_KEY}))
    body = "\n".join(
        part
        for part in (summary, objectives, prerequisites, programme, certification_title, organisation_name, cities)
        if part
    )
    card = {
        "title": title,
        "summary": summary[:300],
        "price": _decimal_text(price),
        "hours": _decimal_text(hours, "0.1"),
        "modality": modality,
        "organisation_id": organisation_id,
        "organisation": organisation_name,
        "rating": _decimal_text(rating_average),
        "rating_count": rating_count,
        "certification": certification_code,
        "certification_kind": certification_kind,
        "certification_title": certification_title,
        "level": certification_level,
        "sessions": [[s.id, s.start, s.end, s.key, s.postal_code, s.city] for s in sessions],
    }
    prepared_title = prepare_text(title)
    days = []
    places = []
    place_days = []
    seen = set()
    for session in sessions:
        days.append(session.start)
        if session.key != REMOTE_KEY:
            terms = space_terms(session.key)
            if session.key not in seen:
                seen.add(session.key)
                places.extend(terms)
            units = period_units(session.start)
            place_days.extend([(term << 20) | unit for term in terms for unit in units])
    fields = {
        "offer_id": offer_id,
        "org_id": organisation_id,
        "title": prepared_title,
        "text": f"{prepared_title}\n{prepare_text(body)}",
        "cert": certification_code.upper(),
        "kind": certification_kind,
        "price": int(price * 100),
        "hours": int(hours * 10),
        "rating": int(rating_average * 100) if rating_average is not None else 0,
        "remote": 1 if modality in (Modality.REMOTE, Modality.MIXED) else 0,
        "qualiopi": day_number(qualiopi_expires_on),
        "next_start": sessions[0].start if sessions else NO_DATE,
        "card": json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode(),
        "when_where": array("i", [value for s in sessions for value in (s.start, s.key)]).tobytes(),
    }
    if days:
        fields["day"] = days
    if places:
        fields["place"] = places
        fields["pd"] = place_days
    doc = tantivy.Document(**fields)
    return doc


def iter_documents(
    *, offer_ids: Iterable[int] | None = None, batch_size: int = 5_000
) -> Iterator[tuple[int, tantivy.Document, set[int]]]:
    """(offer id, document, communes of its sessions) of the searchable offers (all, or those of `offer_ids`)."""
    today = timezone.localdate()
    queryset = public_offers(today)
    wanted = sorted(set(offer_ids)) if offer_ids is not None else None
    last_id = 0
    while True:
        if wanted is not None:
            chunk_ids = [i for i in wanted if i > last_id][:batch_size]
            if not chunk_ids:
                return
            batch = list(queryset.filter(id__in=chunk_ids).order_by("id").values_list(*_OFFER_COLUMNS))
            last_id = chunk_ids[-1]
        else:
            batch = list(queryset.filter(id__gt=last_id).order_by("id").values_list(*_OFFER_COLUMNS)[:batch_size])
            if not batch:
                return
            last_id = batch[-1][0]
        sessions = _sessions_by_offer([row[0] for row in batch], today)
        for row in batch:
            offer_sessions = sessions.get(row[0], [])
            yield row[0], _document(row, offer_sessions), {s.key for s in offer_sessions if s.key != REMOTE_KEY}


# ---------------------------------------------------------------------------------------------------------------
# The index on disk and this process's reader


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    index.register_tokenizer("fr", ANALYZER)
    index.config_reader(reload_policy="manual")
    return index


def _create(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
    index.register_tokenizer("fr", ANALYZER)
    index.config_reader(reload_policy="manual")
    return index


def _read_current(root: Path) -> dict | None:
    try:
        current = json.loads((root / "CURRENT").read_text())
    except (FileNotFoundError, ValueError):
        return None
    if current.get("schema") != SCHEMA_VERSION or not (root / current.get("generation", "-")).is_dir():
        return None
    return current


def _write_current(root: Path, generation: str) -> None:
    temporary = root / f"CURRENT.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps({"generation": generation, "schema": SCHEMA_VERSION}))
    os.replace(temporary, root / "CURRENT")


def read_used_places(generation_dir: Path) -> set[int]:
    """Communes where indexed sessions take place (a superset: never shrunk by updates, only by rebuilds)."""
    try:
        return set(json.loads((generation_dir / "used_places.json").read_text()))
    except (FileNotFoundError, ValueError):
        return set()


def _write_used_places(generation_dir: Path, keys: set[int]) -> None:
    temporary = generation_dir / f"used_places.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps(sorted(keys)))
    os.replace(temporary, generation_dir / "used_places.json")


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


@contextlib.contextmanager
def writer_lock(root: Path, timeout: float = 120.0):
    """One writer at a time across processes (tantivy itself would refuse a second writer instead of waiting)."""
    root.mkdir(parents=True, exist_ok=True)
    with _thread_lock, open(root / "writer.lock", "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("search index writer lock busy")
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_thread_lock = threading.RLock()


@dataclass(frozen=True)
class IndexState:
    index: tantivy.Index
    searcher: tantivy.Searcher
    used_places: frozenset[int]  # communes where indexed sessions take place
    space_cover: SpaceCover
    min_qualiopi: int | None  # earliest Qualiopi expiry day among indexed offers
    last_session_day: int | None  # latest start day of an indexed session
    cache: dict  # for callers: what depends only on this reader (e.g. communes around a place that have sessions)


class IndexHandle:
    """This process's view of the index in one directory; `searcher()` is cheap and always fresh."""

    def __init__(self, root: Path):
        self.root = root
        self.index: tantivy.Index | None = None
        self.generation = ""
        self._current_mtime = -1
        self._meta_mtime = -1
        self._searcher: tantivy.Searcher | None = None
        self.used_places: frozenset[int] = frozenset()
        self.space_cover = SpaceCover(())
        self._cache: dict = {}
        self.min_qualiopi: int | None = None
        self.last_session_day: int | None = None
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        current_mtime = _mtime(self.root / "CURRENT")
        if current_mtime != self._current_mtime or self.index is None:
            current = _read_current(self.root)
            if current is None:
                self._create_empty()
                current = _read_current(self.root)
            self.generation = current["generation"]
            self.index = _open(self.root / self.generation)
            self._current_mtime = _mtime(self.root / "CURRENT")
            self._meta_mtime = -1
        meta_mtime = _mtime(self.root / self.generation / "meta.json")
        if meta_mtime != self._meta_mtime:
            try:
                self.index.reload()
            except Exception:  # the generation vanished under us: a rebuild swapped it, reopen
                self._current_mtime = -1
                return self._refresh()
            self._meta_mtime = meta_mtime
            self._searcher = self.index.searcher()
            self.used_places = frozenset(read_used_places(self.root / self.generation))
            self.space_cover = SpaceCover(self.used_places)
            self._cache = {}
            self.min_qualiopi = _aggregate(self._searcher, "qualiopi", "min")
            self.last_session_day = _aggregate(self._searcher, "day", "max")

    def _create_empty(self) -> None:
        with writer_lock(self.root):
            if _read_current(self.root) is None:
                generation = _new_generation_name()
                _create(self.root / generation)
                _write_current(self.root, generation)

    def searcher(self) -> tantivy.Searcher:
        with self._lock:
            self._refresh()
            return self._searcher

    def state(self) -> "IndexState":
        """The reader and what is known of its documents, consistent together."""
        with self._lock:
            self._refresh()
            return IndexState(
                self.index,
                self._searcher,
                self.used_places,
                self.space_cover,
                self.min_qualiopi,
                self.last_session_day,
                self._cache,
            )


def _aggregate(searcher: tantivy.Searcher, field: str, function: str) -> int | None:
    if searcher.num_docs == 0:
        return None
    value = searcher.aggregate(tantivy.Query.all_query(), {"m": {function: {"field": field}}})["m"]["value"]
    return None if value is None else int(value)


_handles: dict[str, IndexHandle] = {}


def handle() -> IndexHandle:
    root = index_root()
    key = str(root)
    if key not in _handles:
        _handles[key] = IndexHandle(root)
    return _handles[key]


def _new_generation_name() -> str:
    return f"gen-{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"


# ---------------------------------------------------------------------------------------------------------------
# Writing


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
    generation = _new_generation_name()
    index = _create(root / generation)
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
        _write_used_places(root / generation, used_places)
    except BaseException:
        shutil.rmtree(root / generation, ignore_errors=True)
        raise
    with writer_lock(root):
        previous = _read_current(root)
        _write_current(root, generation)
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
        current = _read_current(root)
        index = _open(root / current["generation"])
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
                _write_used_places(root / current["generation"], known | new_places)
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
