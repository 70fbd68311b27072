"""The header is cached in parts (layout/header.html): what is cached depends only on the language, the role and
the current section; the user's name and the CSRF tokens are rendered for each request and never shared."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from opencpf.accounts.enums import Role
from tests.accounts.factories import HolderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _header(page) -> str:
    return page.content.decode().split("</header>", 1)[0]


def _csrf_tokens(header: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)


def test_two_holders_each_see_their_own_name_and_token_in_a_cached_header(english):
    first, second = HolderFactory(), HolderFactory()
    first.user.display_name, second.user.display_name = "Alice Premier", "Bruno Second"
    first.user.save(), second.user.save()
    pages = {}
    for holder in (first, second):
        client = Client()
        client.force_login(holder.user)
        client.get("/droits/")  # fills the cache
        pages[holder.user.display_name] = _header(client.get("/droits/"))
    assert "Alice Premier" in pages["Alice Premier"] and "Bruno Second" not in pages["Alice Premier"]
    assert "Bruno Second" in pages["Bruno Second"] and "Alice Premier" not in pages["Bruno Second"]
    # Sign-out and language forms: one token per form, masked afresh for each page, never the other user's.
    first_tokens, second_tokens = _csrf_tokens(pages["Alice Premier"]), _csrf_tokens(pages["Bruno Second"])
    assert len(first_tokens) == 2 and len(second_tokens) == 2
    assert not set(first_tokens) & set(second_tokens)


def test_a_signed_out_visitor_after_a_holder_sees_no_account_links():
    holder = HolderFactory()
    client = Client()
    client.force_login(holder.user)
    client.get("/catalogue/")
    header = _header(Client().get("/catalogue/"))
    assert "/mon-compte/" not in header  # neither the account button nor "My account" in the menu
    assert 'href="/droits/"' not in header and str(holder.user) not in header
    assert re.search(r'href="[^"]*/connexion/"', header)


def test_the_header_follows_the_language_after_being_cached_in_the_other():
    client = Client()
    french = _header(client.get("/catalogue/", headers={"accept-language": "fr"}))
    client.cookies["opencpf_language"] = "en"
    english_header = _header(client.get("/catalogue/"))
    assert "Sign in" in english_header and "Help" in english_header
    assert "Sign in" not in french and "Se connecter" in french


def test_the_menu_marks_the_current_section_and_the_role_after_being_cached():
    client = Client()
    client.force_login(HolderFactory().user)
    client.get("/droits/")
    on_files = _header(client.get("/dossiers/"))
    assert re.search(r'href="/dossiers/"\s+aria-current="page"', on_files)
    assert not re.search(r'href="/droits/"\s+aria-current', on_files)
    agent = Client()
    agent.force_login(UserFactory(role=Role.AGENT, display_name="Agent"))
    agent_header = _header(agent.get("/droits/"))
    assert "/droits/" not in agent_header.split('id="header-navigation"', 1)[1]
