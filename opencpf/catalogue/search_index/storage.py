"""The index on disk and this process's reader (layout: see the package's docstring)."""

import contextlib
import fcntl
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.utils import timezone

from opencpf.catalogue.search_index.terms import SCHEMA, SCHEMA_VERSION, SpaceCover
from opencpf.catalogue.search_index.text import ANALYZER


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    index.register_tokenizer("fr", ANALYZER)
    index.config_reader(reload_policy="manual")
    return index


def create_index(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
    index.register_tokenizer("fr", ANALYZER)
    index.config_reader(reload_policy="manual")
    return index


def read_current(root: Path) -> dict | None:
    try:
        current = json.loads((root / "CURRENT").read_text())
    except (FileNotFoundError, ValueError):
        return None
    if current.get("schema") != SCHEMA_VERSION or not (root / current.get("generation", "-")).is_dir():
        return None
    return current


def write_current(root: Path, generation: str) -> None:
    temporary = root / f"CURRENT.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps({"generation": generation, "schema": SCHEMA_VERSION}))
    os.replace(temporary, root / "CURRENT")


def read_used_places(generation_dir: Path) -> set[int]:
    """Communes where indexed sessions take place (a superset: never shrunk by updates, only by rebuilds)."""
    try:
        return set(json.loads((generation_dir / "used_places.json").read_text()))
    except (FileNotFoundError, ValueError):
        return set()


def write_used_places(generation_dir: Path, keys: set[int]) -> None:
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
            current = read_current(self.root)
            if current is None:
                self._create_empty()
                current = read_current(self.root)
            self.generation = current["generation"]
            self.index = open_index(self.root / self.generation)
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
            if read_current(self.root) is None:
                generation = new_generation_name()
                create_index(self.root / generation)
                write_current(self.root, generation)

    def searcher(self) -> tantivy.Searcher:
        with self._lock:
            self._refresh()
            return self._searcher

    def version(self) -> str:
        """Changes whenever what a search can find changes (a rebuild, a commit): for caches of results."""
        with self._lock:
            self._refresh()
            return f"{self.root}:{self.generation}:{self._meta_mtime}"

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


def new_generation_name() -> str:
    return f"gen-{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
