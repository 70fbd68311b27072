import pytest

from opencpf.catalogue import search_index
from opencpf.catalogue.search import parse_search_params, search_offers


@pytest.fixture
def reindex(db):
    """Rebuild the search index from the database (data made with factories bypasses the services)."""
    return search_index.rebuild


@pytest.fixture
def search(db):
    """search(q="anglais", postal_code=…) → SearchResult, through the same parsing as the page and the API."""

    def run(**params):
        return search_offers(parse_search_params(params))

    return run
