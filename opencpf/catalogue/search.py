"""Catalogue search: the one service behind the search page and `GET /api/v1/offers`.

`parse_search_params(data)` turns query-string values into `SearchParams` (or raises `SearchInputError` with
messages per field); `search_offers(params)` answers from the embedded tantivy index (see `search_index`).

Place and dates always hold for the same session: an offer matches "within 20 km of 69001, starting in
September" only if one of its sessions is in a commune within 20 km AND starts in September. Sorting by distance
or start date orders offers by their best matching session; it looks at growing sets of the nearest communes (or
earliest days) until a page is full, so it never has to read every hit.
"""

import datetime
import functools
import hashlib
import json
import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tantivy
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from opencpf.catalogue import search_index as idx
from opencpf.catalogue.enums import CertificationKind, SearchSort
from opencpf.catalogue.search_index import ranking
from opencpf.catalogue.validators import normalise_certification_code
from opencpf.places.selectors import Place, places_around, postal_code_centre

PAGE_SIZE = 20
MAX_RESULTS = 2_000  # deeper pages are not browsable: refine the search instead
MAX_PAGE = MAX_RESULTS // PAGE_SIZE
DEFAULT_RADIUS_KM = 30
MAX_RADIUS_KM = 200
RADIUS_CHOICES = (5, 10, 20, 30, 50, 100, 200)
MAX_PRICE = Decimal("1000000")
MAX_HOURS = Decimal("100000")
# Sorting by a session (distance, start date): below this many hits, read them all and sort here.
_FETCH_ALL = 100
_READ_MARGIN = 60


class SearchInputError(Exception):
    """Bad search input; `errors` maps each field to messages for the user."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    postal_code: str = ""
    radius_km: int = DEFAULT_RADIUS_KM
    remote: bool = False
    start_after: datetime.date | None = None
    start_before: datetime.date | None = None
    max_price: Decimal | None = None
    max_hours: Decimal | None = None
    certification: str = ""  # an RNCP/RS code (upper case) or a CertificationKind value
    min_rating: Decimal | None = None
    sort: str = SearchSort.RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def has_filter(self) -> bool:
        return bool(
            self.postal_code
            or self.remote
            or self.start_after
            or self.start_before
            or self.max_price is not None
            or self.max_hours is not None
            or self.certification
            or self.min_rating
        )


@dataclass(frozen=True)
class SessionHit:
    id: int
    start_date: datetime.date
    end_date: datetime.date
    remote: bool
    postal_code: str
    city: str
    distance_km: float | None = None


@dataclass(frozen=True)
class OfferHit:
    id: int
    title: str
    summary: str
    price: Decimal
    hours: Decimal
    modality: str
    organisation_id: int
    organisation_name: str
    rating: Decimal | None
    rating_count: int
    certification_code: str
    certification_kind: str
    certification_title: str
    distance_km: float | None
    next_session: SessionHit | None
    session_count: int


@dataclass
class SearchResult:
    params: SearchParams
    count: int
    hits: list[OfferHit]
    place: Place | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, math.ceil(self.count / self.params.page_size))

    @property
    def has_next(self) -> bool:
        return self.params.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1


# ---------------------------------------------------------------------------------------------------------------
# Input


def _text(data: Mapping, name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _decimal(data, name, errors, *, maximum: Decimal, minimum: Decimal = Decimal(0)) -> Decimal | None:
    raw = _text(data, name).replace(",", ".").replace(" ", "").replace("\u202f", "").replace("€", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = [_("Enter a number.")]
        return None
    if not value.is_finite() or value < minimum or value > maximum:
        # Said in the reader's number format, and "more than 0" rather than an internal floor such as 0.1.
        top = formats.number_format(maximum, use_l10n=True, force_grouping=True)
        if minimum > 0:
            errors[name] = [_("Enter a number greater than 0 and at most %(max)s.") % {"max": top}]
        else:
            errors[name] = [_("Enter a number from 0 to %(max)s.") % {"max": top}]
        return None
    return value


def _date(data, name, errors) -> datetime.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "on", "yes", "oui"}


def normalise_certification(value: str) -> str | None:
    """ "rncp 37274" → "RNCP37274", "vae" → "vae"; None when it is neither a code nor a kind."""
    try:
        return normalise_certification_code(value)
    except ValidationError:
        pass
    kind = (value or "").strip().lower()
    return kind if kind in CertificationKind.values else None


def parse_search_params(data: Mapping) -> SearchParams:
    """Validate query-string values (strings, or already typed values); raise SearchInputError per field."""
    errors: dict[str, list[str]] = {}
    q = _text(data, "q")[:200]

    postal_code = _text(data, "postal_code").replace(" ", "")
    if postal_code and postal_code_centre(postal_code) is None:
        errors["postal_code"] = [_("Unknown postal code: enter the 5 digits of a French postal code.")]

    radius_km = DEFAULT_RADIUS_KM
    raw_radius = _text(data, "radius_km")
    if raw_radius:
        try:
            radius_km = int(Decimal(raw_radius.replace(",", ".")))
            if Decimal(raw_radius.replace(",", ".")) != radius_km:
                raise ValueError
        except (InvalidOperation, ValueError):
            errors["radius_km"] = [_("Enter a whole number of kilometres.")]
        else:
            if not 1 <= radius_km <= MAX_RADIUS_KM:
                errors["radius_km"] = [
                    _("Choose a radius between 1 and %(max)s km.") % {"max": MAX_RADIUS_KM},
                ]

    start_after = _date(data, "start_after", errors)
    start_before = _date(data, "start_before", errors)
    if start_after and start_before and start_after > start_before:
        errors["start_before"] = [_("The end of the period must not be before its start.")]

    max_price = _decimal(data, "max_price", errors, maximum=MAX_PRICE)
    max_hours = _decimal(data, "max_hours", errors, maximum=MAX_HOURS, minimum=Decimal("0.1"))
    min_rating = _decimal(data, "min_rating", errors, maximum=Decimal(5))

    certification = ""
    raw_certification = _text(data, "certification")
    if raw_certification:
        certification = normalise_certification(raw_certification) or ""
        if not certification:
            errors["certification"] = [_("Enter an RNCP or RS code, for example RNCP37274.")]

    sort = _text(data, "sort") or SearchSort.RELEVANCE
    if sort not in SearchSort.values:
        errors["sort"] = [_("Choose a sort order from the list.")]
    elif sort == SearchSort.DISTANCE and not postal_code:
        errors["sort"] = [_("Give a postal code to sort by distance.")]

    page = 1
    raw_page = _text(data, "page")
    if raw_page:
        try:
            page = int(raw_page)
        except ValueError:
            errors["page"] = [_("Enter a page number.")]
        else:
            if page < 1:
                errors["page"] = [_("Pages start at 1.")]
            elif page > MAX_PAGE:
                errors["page"] = [
                    _("Only the first %(count)s results can be browsed: refine your search.") % {"count": MAX_RESULTS}
                ]

    if errors:
        raise SearchInputError(errors)
    params = SearchParams(
        q=q,
        postal_code=postal_code,
        radius_km=radius_km,
        remote=_bool(data.get("remote")),
        start_after=start_after,
        start_before=start_before,
        max_price=max_price,
        max_hours=max_hours,
        certification=certification,
        min_rating=min_rating or None,
        sort=sort,
        page=page,
    )
    if not params.q and not params.has_filter:
        raise SearchInputError({"q": [_("Enter keywords or choose at least one filter.")]})
    return params


# ---------------------------------------------------------------------------------------------------------------
# Search


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


def _term_set(field_name: str, values: list[int]) -> tantivy.Query:
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


def _place_periods(space: list[int], first: int, last: int) -> list[int]:
    """`pd` terms of sessions in these space terms (communes, cells) starting from `first` to `last`."""
    codes = [idx.period_code(level, unit) for level, unit in idx.period_pieces(first, last)]
    return [base | code for base in [term << 20 for term in space] for code in codes]


class _Plan:
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
                return _term_set("pd", _place_periods(space, self.first_day, last))
            return _term_set("place", space)
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


class _Found:
    """A hit read from the index; its card (JSON) is parsed only if it makes it to the page."""

    __slots__ = ("_card", "doc", "offer_id", "score")

    def __init__(self, score: float, doc: tantivy.Document):
        self.score = score
        self.doc = doc
        self.offer_id = doc.get_first("offer_id")
        self._card = None

    @property
    def card(self) -> dict:
        if self._card is None:
            self._card = json.loads(self.doc.get_first("card"))
        return self._card

    @property
    def session_keys(self) -> list[tuple[int, int, int, int]]:
        """(id, start day, end day, commune) of the sessions, from the compact stored field."""
        values = array("i")
        values.frombytes(self.doc.get_first("when_where") or b"")
        return [(0, values[i], 0, values[i + 1]) for i in range(0, len(values), 2)]


def _hit(plan: _Plan, found: _Found) -> OfferHit:
    card = found.card
    matching = plan.matching_sessions(card["sessions"])
    if plan.params.sort == SearchSort.DISTANCE:
        matching.sort(key=lambda item: (item[1], item[0][1]))
    next_session = None
    if matching:
        (session_id, start, end, key, postal_code, city), distance = matching[0]
        next_session = SessionHit(
            id=session_id,
            start_date=idx.day_from_number(start),
            end_date=idx.day_from_number(end),
            remote=key == idx.REMOTE_KEY,
            postal_code=postal_code,
            city=city,
            distance_km=None if distance is None else round(distance, 1),
        )
    distances = [distance for _s, distance in matching if distance is not None]
    return OfferHit(
        id=found.offer_id,
        title=card["title"],
        summary=card["summary"],
        price=Decimal(card["price"]),
        hours=Decimal(card["hours"]),
        modality=card["modality"],
        organisation_id=card["organisation_id"],
        organisation_name=card["organisation"],
        rating=Decimal(card["rating"]) if card["rating"] is not None else None,
        rating_count=card["rating_count"],
        certification_code=card["certification"],
        certification_kind=card["certification_kind"],
        certification_title=card["certification_title"],
        distance_km=round(min(distances), 1) if distances else None,
        next_session=next_session,
        session_count=len(card["sessions"]),
    )


def _load(plan: _Plan, hits, *, scored: bool = True) -> list[_Found]:
    searcher = plan.searcher
    return [_Found(score if scored else 0.0, searcher.doc(address)) for score, address in hits]


def _session_search(plan: _Plan, query: tantivy.Query, limit: int, *, count: bool):
    limit = max(1, limit)  # tantivy wants at least one
    if plan.text_query is not None:
        return plan.searcher.search(query, limit, count=count)
    # No score: a stable order (offer id) so that pages do not overlap.
    return plan.searcher.search(
        query, limit, count=count, order_by_field=ranking.TIE_BREAK_FIELD, order=tantivy.Order.Asc
    )


def _ordered_by_session(plan: _Plan, total: int, by_distance: bool, first_hits) -> list[_Found]:
    """The page when sorting by the best matching session: the nearest commune, or the earliest start day.

    Looks at the hits with a session in the k nearest communes (or in the k first days), k growing until they are
    enough to fill the page, so it reads only about a page of documents whatever the number of hits.
    """
    params = plan.params
    offset = (params.page - 1) * params.page_size
    need = min(total, offset + params.page_size)
    scored = plan.text_query is not None
    read_limit = need + _READ_MARGIN

    def sort_key(found: _Found):
        matching = plan.matching_sessions(found.session_keys)
        if not matching:
            best = math.inf
        elif by_distance:
            best = min(distance for _session, distance in matching)
        else:
            best = min(session[1] for session, _distance in matching)
        return (best, -found.score, found.offer_id)

    def page(items: list[_Found]) -> list[_Found]:
        items.sort(key=sort_key)
        return items[offset:need]

    if total <= _FETCH_ALL:
        return page(_load(plan, first_hits, scored=scored))

    if by_distance:
        size = len(plan.place_keys)

        def prefix(k):
            return plan.session_filter(place_count=k)

        def only(k):  # the k-th commune alone
            space = [idx.space_term(idx.SPACE_PLACE, plan.place_keys[k - 1])]
            if plan.dates_given:
                return _term_set("pd", _place_periods(space, plan.first_day, plan.last_day))
            return _term_set("place", space)
    else:
        size = plan.last_day - plan.first_day + 1

        def prefix(k):
            return plan.session_filter(last_day=plan.first_day + k - 1)

        def only(k):  # the k-th day alone
            day = plan.first_day + k - 1
            if plan.place:
                return _term_set("pd", _place_periods(plan.full_cover, day, day))
            return plan.day_range(day, day)

    # k communes (days) hold count(k) offers; the search that counts also keeps the best hits, read when few.
    counted: dict[int, tuple[int, list]] = {0: (0, [])}

    def count(k):
        if k not in counted:
            found = _session_search(plan, plan.query(prefix(k)), read_limit, count=True)
            counted[k] = (found.count, found.hits)
        return counted[k][0]

    # Start where, were the hits spread evenly, the page would just be full; grow, then narrow while too many.
    low = 0
    high = max(1, min(size, math.ceil(size * need / total)))
    while high < size and count(high) < need:
        low, high = high, min(size, high * 2)
    while count(high) > read_limit and high - low > 1:
        middle = (low + high) // 2
        if count(middle) >= need:
            high = middle
        else:
            low = middle
    if count(high) <= read_limit:
        return page(_load(plan, counted[high][1], scored=scored))
    # One commune (day) holds too many offers to read them all: all those before it, then its best ones.
    items = _load(plan, counted[low][1], scored=scored) if low else []
    known = {found.offer_id for found in items}
    if high == 1:  # the first commune (day) alone: its best hits are those already read
        best = counted[high][1][:need]
    else:
        best = _session_search(plan, plan.query(only(high)), need, count=False).hits
    for found in _load(plan, best, scored=scored):
        if found.offer_id not in known:
            items.append(found)
    return page(items)


def search_offers(params: SearchParams, *, today: datetime.date | None = None) -> SearchResult:
    """Offers matching the parameters, one page of them, and how many there are in all."""
    today = today or timezone.localdate()
    plan = _Plan(params, today)
    if plan.empty:
        return SearchResult(params=params, count=0, hits=[], place=plan.place, notices=plan.notices)

    sort = ranking.effective_sort(params.sort, has_words=plan.text_query is not None, has_place=bool(plan.place))
    offset = (params.page - 1) * params.page_size
    by_session = ranking.sorts_by_session(sort, has_place=bool(plan.place), has_dates=plan.dates_given)
    order = ranking.FIELD_ORDERS.get(sort)

    def run():
        query = plan.query(plan.session_filter())
        if by_session:  # the count, and every hit when they are few
            found = _session_search(plan, query, _FETCH_ALL, count=True)
            return found.count, found
        if order:
            found = plan.searcher.search(
                query, params.page_size, count=True, order_by_field=order[0], offset=offset, order=order[1]
            )
        else:
            found = plan.searcher.search(query, params.page_size, count=True, offset=offset)
        return found.count, found

    total, found = run()
    if total == 0 and plan.use_any_word():
        total, found = run()
    _check_page(params, total)
    if by_session:
        loaded = _ordered_by_session(plan, total, sort == SearchSort.DISTANCE, found.hits)
    else:
        loaded = _load(plan, found.hits)

    hits = [_hit(plan, found) for found in loaded]
    if total == 0 and not plan.notices:
        plan.notices.append(_("No training matches your search. Try other words, a larger radius or fewer filters."))
    return SearchResult(params=params, count=total, hits=hits, place=plan.place, notices=plan.notices)


def _check_page(params: SearchParams, total: int) -> None:
    last_page = max(1, min(MAX_PAGE, math.ceil(total / params.page_size)))
    if params.page > last_page:
        raise SearchInputError({"page": [_("There are only %(pages)s pages of results.") % {"pages": last_page}]})


def catalogue_cache_key(name: str, *parts: object, today: datetime.date | None = None) -> str:
    """Where something rendered from the catalogue (a page of results, an offer's page) may be cached: the key names
    the search index's version, which changes with every commit or rebuild of the index, i.e. every change of an
    offer, its sessions or its organisation through the services (so nothing is shown stale once search shows the
    change), and the day (sessions still open, Qualiopi expiries). Never for anything that depends on the user."""
    today = today or timezone.localdate()
    text = "\n".join(str(part) for part in (idx.handle().version(), today, *parts))
    return f"catalogue:{name}:{hashlib.sha256(text.encode()).hexdigest()}"
