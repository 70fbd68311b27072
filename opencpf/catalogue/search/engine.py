"""`search_offers(params)`: one page of offers from the embedded tantivy index (see `search_index`).

Sorting by distance or start date orders offers by their best matching session; it looks at growing sets of the
nearest communes (or earliest days) until a page is full, so it never has to read every hit.
"""

import datetime
import json
import math
from array import array
from decimal import Decimal

import tantivy
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.catalogue import search_index as idx
from opencpf.catalogue.enums import SearchSort
from opencpf.catalogue.search.params import MAX_PAGE, SearchInputError, SearchParams
from opencpf.catalogue.search.plan import Plan, place_periods, term_set
from opencpf.catalogue.search.results import OfferHit, SearchResult, SessionHit
from opencpf.catalogue.search_index import ranking

# Sorting by a session (distance, start date): below this many hits, read them all and sort here.
_FETCH_ALL = 100
_READ_MARGIN = 60


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


def _hit(plan: Plan, found: _Found) -> OfferHit:
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


def _load(plan: Plan, hits, *, scored: bool = True) -> list[_Found]:
    searcher = plan.searcher
    return [_Found(score if scored else 0.0, searcher.doc(address)) for score, address in hits]


def _session_search(plan: Plan, query: tantivy.Query, limit: int, *, count: bool):
    limit = max(1, limit)  # tantivy wants at least one
    if plan.text_query is not None:
        return plan.searcher.search(query, limit, count=count)
    # No score: a stable order (offer id) so that pages do not overlap.
    return plan.searcher.search(
        query, limit, count=count, order_by_field=ranking.TIE_BREAK_FIELD, order=tantivy.Order.Asc
    )


def _ordered_by_session(plan: Plan, total: int, by_distance: bool, first_hits) -> list[_Found]:
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
                return term_set("pd", place_periods(space, plan.first_day, plan.last_day))
            return term_set("place", space)
    else:
        size = plan.last_day - plan.first_day + 1

        def prefix(k):
            return plan.session_filter(last_day=plan.first_day + k - 1)

        def only(k):  # the k-th day alone
            day = plan.first_day + k - 1
            if plan.place:
                return term_set("pd", place_periods(plan.full_cover, day, day))
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
    plan = Plan(params, today)
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
