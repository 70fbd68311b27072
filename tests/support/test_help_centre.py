"""The help centre: every topic of the public-service sheet in its order, searchable on the server (no script
needed), amounts and delays from the parameters in force, reachable from every page."""

import re

import pytest

from opencpf.parameters import parameter
from opencpf.utils.legal import legal_value

pytestmark = pytest.mark.django_db

SHEET_ORDER = [
    "cpf",
    "account",
    "rights",
    "find",
    "register",
    "after",
    "cancel",
    "evaluate",
    "scams",
    "abroad",
]


def _section_ids(page: str) -> list[str]:
    return re.findall(r'<h2 id="([\w-]+)" class="fr-h4', page)


def test_the_topics_follow_the_public_service_sheet(client, english):
    page = client.get("/aide/").content.decode()
    assert _section_ids(page) == SHEET_ORDER
    assert 'class="fr-accordion__btn"' in page


def test_amounts_and_delays_are_the_values_in_force(client, english):
    page = client.get("/aide/").content.decode()
    for name in ("rights/annual_amount", "rights/cap", "contribution/flat_contribution", "dossiers/accept_days"):
        assert legal_value(name) in page, name
    assert parameter("rights/cap").unit == "currency-EUR"


def test_search_finds_answers_whatever_the_accents_and_endings(client, english):
    page = client.get("/aide/", {"q": "registering"}).content.decode()
    assert 'id="faq-how-register"' in page
    page = client.get("/aide/", {"q": "CANCÉL"}).content.decode()
    assert 'id="help-results"' in page
    assert 'id="faq-cancel-before"' in page
    assert 'id="faq-what-is-cpf"' not in page
    # Matching answers are open: readable without the accordion's script.
    assert 'class="fr-collapse fr-collapse--expanded" id="faq-cancel-before"' in page


def test_search_in_english_and_with_no_result(client, english):
    page = client.get("/aide/", {"q": "abroad sign"}).content.decode()
    assert 'id="faq-abroad-access"' in page
    assert "faq-create" not in page
    page = client.get("/aide/", {"q": "zzzzqqq"}).content.decode()
    assert "0 answers for" in page
    assert "/aide/contact/" in page


@pytest.mark.parametrize("query", ["\x00cancel", "a" * 5000, "c\u200bancel", "<script>alert(1)</script>"])
def test_odd_searches_answer_a_page_never_a_500(client, english, query):
    response = client.get("/aide/", {"q": query})
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_help_is_linked_from_every_page_header_and_footer(client):
    for path in ("/", "/catalogue/", "/mentions-legales/"):
        page = client.get(path).content.decode()
        assert page.count('href="/aide/"') >= 2, path  # header quick access and footer
        assert 'href="/aide/contact/"' in page, path
