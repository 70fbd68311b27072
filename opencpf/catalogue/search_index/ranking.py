"""How search results are ordered: the one place that says it (`catalogue.search` applies it).

Relevance (the default sort, when words are given)
    BM25, tantivy's (k1 = 1.2, b = 0.75), over the `text` field: title, summary, objectives, prerequisites,
    programme, certification title, organisation name and the cities of the sessions, analysed by the French
    analyzer (`text`). Every word must match (AND). A second, optional clause matches the words in the `title`
    field alone, boosted by `TITLE_BOOST`: a word of the title counts once in `text` and once more in `title`.
    When no offer has all the words, the search falls back on offers with any of them (OR), with a notice.
Filters score zero
    Price, duration, rating, remote, kind, certification, Qualiopi validity, place and dates only select offers:
    they are wrapped in a constant score of `FILTER_SCORE`, so that they never change the order and the scores of
    the queries of one search (prefixes of communes or days, below) can be compared.
Other sorts
    Price (cheapest first), rating (best first) and start date (earliest next session first) sort on a fast field
    (`FIELD_ORDERS`). Distance (nearest matching session first), and start date when a place or dates are given
    (earliest matching session), sort on the sessions that match, then by score, then by offer id.
Fallback sort
    Relevance without words has no score: it becomes distance when a place is given, rating otherwise
    (`effective_sort`). Without a score, ties are broken by offer id (`TIE_BREAK_FIELD`), so that pages never
    overlap.
"""

import tantivy

from opencpf.catalogue.enums import SearchSort

TITLE_BOOST = 1.0  # added to the BM25 of the title words: they count double
FILTER_SCORE = 0.0  # filters select, they do not rank
TIE_BREAK_FIELD = "offer_id"  # the stable order when there is no score
FIELD_ORDERS: dict[str, tuple[str, tantivy.Order]] = {
    SearchSort.PRICE: ("price", tantivy.Order.Asc),
    SearchSort.RATING: ("rating", tantivy.Order.Desc),
    SearchSort.START_DATE: ("next_start", tantivy.Order.Asc),
}


def effective_sort(sort: str, *, has_words: bool, has_place: bool) -> str:
    """The sort asked for, or the fallback when relevance has nothing to score."""
    if sort == SearchSort.RELEVANCE and not has_words:
        return SearchSort.DISTANCE if has_place else SearchSort.RATING
    return sort


def sorts_by_session(sort: str, *, has_place: bool, has_dates: bool) -> bool:
    """Whether the order depends on which sessions match (distance; start date restricted by place or dates)."""
    return sort == SearchSort.DISTANCE or (sort == SearchSort.START_DATE and (has_place or has_dates))
