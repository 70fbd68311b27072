"""The schema of a document, and the integer terms of days, places and periods shared by documents and queries."""

import datetime
import functools
import math
from collections.abc import Iterable

import tantivy

from opencpf.places.selectors import place_by_commune_key

SCHEMA_VERSION = 7
DAY_ZERO = datetime.date(2000, 1, 1)
NO_DATE = 65_535  # "no upcoming session": sorts after every real day
REMOTE_KEY = 0  # commune key of a remote session in the stored sessions


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
