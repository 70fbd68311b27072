"""The plan of a search: the text query, the filters, and the communes and days its sessions must be in.

Place and dates always hold for the same session: an offer matches "within 20 km of 69001, starting in
September" only if one of its sessions is in a commune within 20 km AND starts in September.
"""

import datetime
import functools
import math

import tantivy
from django.utils.translation import gettext as _

from opencpf.catalogue import search_index as idx
from opencpf.catalogue.enums import CertificationKind
from opencpf.catalogue.search.params import SearchInputError, SearchParams
from opencpf.catalogue.search_index import ranking
from opencpf.places.selectors import places_around, postal_code_centre


@functools.lru_cache(maxsize=4096)
def _places_within(postal_code: str, radius_km: int) -> tuple[tuple[int, float], ...]:
    """(commune key, distance km) of every commune within the radius of the postal code, nearest first."""
    centre = postal_code_centre(postal_code)
    if centre is None:
        return ()
    seen: dict[int, float] = {}
    for place, distance in places_around(centre.latitude, centre.longitude, radius_km):
        if place.key not in seen:
            seen[place.key] = distance
    return tuple(seen.items())


def _range(field_name: str, lower: int | None, upper: int | None) -> tantivy.Query:
    return tantivy.Query.range_query(
        idx.SCHEMA, field_name, tantivy.FieldType.Integer, lower, upper, use_inverted_index=True
    )


def _fast_range(field_name: str, lower: int | None, upper: int | None) -> tantivy.Query:
    return tantivy.Query.range_query(idx.SCHEMA, field_name, tantivy.FieldType.Integer, lower, upper)


def _all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])


_BOOLEAN_TERMS_MAX = 1_500


def term_set(field_name: str, values: list[int]) -> tantivy.Query:
    """Any of these terms. A union of term queries is lazy (a selective text query drives it) and, with these
    large term dictionaries, looks terms up faster than a term set query; the latter wins for very many terms."""
    if not values:
        return tantivy.Query.empty_query()
    if len(values) > _BOOLEAN_TERMS_MAX:
        return tantivy.Query.term_set_query(idx.SCHEMA, field_name, values)
    if len(values) == 1:
        return tantivy.Query.term_query(idx.SCHEMA, field_name, values[0])
    term = tantivy.Query.term_query
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, term(idx.SCHEMA, field_name, v)) for v in values])


def place_periods(space: list[int], first: int, last: int) -> list[int]:
    """`pd` terms of sessions in these space terms (communes, cells) starting from `first` to `last`."""
    codes = [idx.period_code(level, unit) for level, unit in idx.period_pieces(first, last)]
    return [base | code for base in [term << 20 for term in space] for code in codes]


class Plan:
    """Everything a search needs, computed once: the text query, filters, communes and days that match."""

    def __init__(self, params: SearchParams, today: datetime.date):
        self.params = params
        self.today = today
        self.notices: list[str] = []
        self.handle = idx.handle()
        state = self.handle.state()
        self.searcher = state.searcher
        self.index = state.index
        self.space_cover = state.space_cover
        self.text_query: tantivy.Query | None = None
        self.several_words = ""  # the prepared words, when there are several (to fall back on any of them)
        self.empty = False

        if params.q:
            prepared = idx.prepare_query_text(params.q)
            words = idx.ANALYZER.analyze(prepared.replace('"', " "))
            if words:
                self.text_query = self._text_query(prepared, conjunction=True)
                if len(words) > 1:
                    self.several_words = prepared
            elif params.has_filter:
                self.notices.append(_("Your words are too common to search for: only the filters apply."))
            else:
                raise SearchInputError({"q": [_("Enter more specific words (these are too common to search for).")]})

        filters: list[tantivy.Query] = []
        if params.max_price is not None:
            filters.append(_fast_range("price", None, int(params.max_price * 100)))
        if params.max_hours is not None:
            filters.append(_fast_range("hours", None, int(params.max_hours * 10)))
        if params.min_rating:
            filters.append(_fast_range("rating", math.ceil(params.min_rating * 100), None))
        if params.remote:
            filters.append(tantivy.Query.term_query(idx.SCHEMA, "remote", 1))
        if params.certification:
            field_name = "kind" if params.certification in CertificationKind.values else "cert"
            filters.append(tantivy.Query.term_query(idx.SCHEMA, field_name, params.certification))
        if state.min_qualiopi is not None and state.min_qualiopi < idx.day_number(today):
            filters.append(_fast_range("qualiopi", idx.day_number(today), None))
        self.filters = filters

        # Sessions: days and communes.
        self.dates_given = bool(params.start_after or params.start_before)
        self.first_day = idx.day_number(max(params.start_after or today, today))
        horizon = state.last_session_day if state.last_session_day is not None else self.first_day
        self.last_day = min(idx.day_number(params.start_before), horizon) if params.start_before else horizon
        if params.start_before and params.start_before < today:
            self.notices.append(_("No session can start before a date in the past."))
            self.empty = True

        self.place = postal_code_centre(params.postal_code) if params.postal_code else None
        self.place_distances: dict[int, float] = {}
        self.place_keys: list[int] = []
        self.full_cover: list[int] = []
        if self.place:
            cache_key = ("around", params.postal_code, params.radius_km)
            if cache_key not in state.cache:
                if len(state.cache) > 10_000:
                    state.cache.clear()
                used = state.used_places
                within = [(key, d) for key, d in _places_within(params.postal_code, params.radius_km) if key in used]
                keys = [key for key, _d in within]
                state.cache[cache_key] = (keys, dict(within), state.space_cover.cover(keys))
            self.place_keys, self.place_distances, self.full_cover = state.cache[cache_key]
            if not self.place_keys:
                self.notices.append(
                    _("No training takes place within %(radius)s km of %(place)s.")
                    % {"radius": params.radius_km, "place": self.place.label}
                )
                self.empty = True

    def _text_query(self, prepared: str, *, conjunction: bool) -> tantivy.Query:
        """All the words (or any of them) in the text; words of the title count double (see `ranking`)."""
        matching, _errors = self.index.parse_query_lenient(
            prepared, default_field_names=["text"], conjunction_by_default=conjunction
        )
        in_title, _errors = self.index.parse_query_lenient(prepared, default_field_names=["title"])
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, matching),
                (tantivy.Occur.Should, tantivy.Query.boost_query(in_title, ranking.TITLE_BOOST)),
            ]
        )

    def use_any_word(self) -> bool:
        """When no offer has all the words, fall back on offers with some of them."""
        if not self.several_words:
            return False
        self.text_query = self._text_query(self.several_words, conjunction=False)
        self.several_words = ""
        self.notices.append(_("No training contains all your words: here are those with some of them."))
        return True

    # Session filters --------------------------------------------------------------------------------------------

    def session_filter(self, place_count: int | None = None, last_day: int | None = None) -> tantivy.Query | None:
        """Sessions in the first `place_count` communes (nearest first) and starting by `last_day`."""
        keys = self.place_keys if place_count is None else self.place_keys[:place_count]
        space = self.full_cover if place_count is None else self.space_cover.cover(keys)
        last = self.last_day if last_day is None else last_day
        dated = self.dates_given or last_day is not None
        if dated and last < self.first_day:
            return tantivy.Query.empty_query()
        if self.place:
            if dated:
                return term_set("pd", place_periods(space, self.first_day, last))
            return term_set("place", space)
        if dated:
            return self.day_range(self.first_day, last)
        return None

    def day_range(self, first: int, last: int) -> tantivy.Query:
        """Offers with a session starting between these days. Driven by words, checking the column of start days
        of the offers they find is cheaper; alone, the inverted index is."""
        if self.text_query is not None:
            return _fast_range("day", first, last)
        return _range("day", first, last)

    def query(self, session_filter: tantivy.Query | None) -> tantivy.Query:
        """Text scores; filters only select (score 0), so scores compare across the queries of one search."""
        must = list(self.filters)
        if session_filter is not None:
            must.append(session_filter)
        filter_query = tantivy.Query.const_score_query(_all_of(must), ranking.FILTER_SCORE) if must else None
        if self.text_query is not None and filter_query is not None:
            return _all_of([self.text_query, filter_query])
        return self.text_query or filter_query or tantivy.Query.all_query()

    def count(self, query: tantivy.Query) -> int:
        return self.searcher.search(query, 1, count=True).count

    # Matching sessions of a hit --------------------------------------------------------------------------------

    def matching_sessions(self, sessions) -> list[tuple[list, float | None]]:
        """(session, distance) of the sessions (lists starting with id, start day, end day, commune) that match."""
        first = max(idx.day_number(self.today), self.first_day)
        last = self.last_day if self.dates_given else idx.NO_DATE
        distances = self.place_distances if self.place else None
        matching = []
        for session in sessions:
            start = session[1]
            if start < first or start > last:
                continue
            if distances is None:
                matching.append((session, None))
            elif (distance := distances.get(session[3])) is not None:
                matching.append((session, distance))
        return matching
