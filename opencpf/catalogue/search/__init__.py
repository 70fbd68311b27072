"""Catalogue search: the one service behind the search page and `GET /api/v1/offers`.

`parse_search_params(data)` turns query-string values into `SearchParams` (or raises `SearchInputError` with
messages per field); `search_offers(params)` answers from the embedded tantivy index (see `search_index`).

- `params`: the input, its parsing and its limits;
- `results`: what a search answers (`SearchResult`, `OfferHit`, `SessionHit`);
- `plan`: the text query, filters, communes and days a search needs (place and dates hold for the same session);
- `engine`: `search_offers`, including the sorts by a session (distance, start date);
- `cache`: `catalogue_cache_key`, where something rendered from the catalogue may be cached.

This package re-exports only the names the web pages, the API, the benchmarks and the tests import from it.
"""

from opencpf.catalogue.search.cache import catalogue_cache_key
from opencpf.catalogue.search.engine import search_offers
from opencpf.catalogue.search.params import (
    DEFAULT_RADIUS_KM,
    MAX_PAGE,
    RADIUS_CHOICES,
    SearchInputError,
    parse_search_params,
)
from opencpf.catalogue.search.results import OfferHit

__all__ = [
    "DEFAULT_RADIUS_KM",
    "MAX_PAGE",
    "RADIUS_CHOICES",
    "OfferHit",
    "SearchInputError",
    "catalogue_cache_key",
    "parse_search_params",
    "search_offers",
]
