"""Menus by role: holders have "My rights" and "My files"; organisation staff, advisors, funders and agents see
their space and no holder wording; the current section is marked (aria-current); every page but the home page
has a breadcrumb."""

import re

import pytest

from opencpf.accounts.enums import Role
from opencpf.www.navigation import main_menu, trail
from tests.accounts.factories import HolderFactory, UserFactory

pytestmark = pytest.mark.django_db

HOLDER_WORDS = {"My rights", "My files", "Simulate my rights", "Find an advisor"}


def _menu(page: str) -> dict[str, str]:
    nav = page.split('id="header-navigation"', 1)[1].split("</nav>", 1)[0]
    return {
        title: current
        for current, title in re.findall(r'class="fr-nav__link"[^>]*?(?:aria-current="(\w+)")?\s*>([^<]+)<', nav)
    }


def test_a_holder_has_my_rights_and_my_files_and_the_current_one_is_marked(client, english):
    client.force_login(HolderFactory().user)
    menu = _menu(client.get("/droits/").content.decode())
    assert {"My rights", "My files", "Find a training", "Help"} <= set(menu)
    assert "Simulate my rights" not in menu
    assert menu["My rights"] == "page" and menu["My files"] == ""
    menu = _menu(client.get("/dossiers/").content.decode())
    assert menu["My files"] == "page"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ORGANISATION_STAFF, {"Training files", "Catalogue"}),
        (Role.ADVISOR, {"Advisor space"}),
        (Role.FUNDER, {"Funder space"}),
        (Role.AGENT, {"Back office"}),
    ],
)
def test_other_roles_see_their_space_and_no_holder_wording(english, role, expected):
    user = UserFactory(role=role)
    titles = {str(item["title"]) for item in main_menu(user, "/")}
    assert expected <= titles and "Help" in titles
    assert not titles & HOLDER_WORDS


def test_signed_out_visitors_can_simulate_and_find(client, english):
    menu = _menu(client.get("/").content.decode())
    assert {"Find a training", "Simulate my rights", "Find an advisor", "Help"} <= set(menu)
    assert "My rights" not in menu


@pytest.mark.parametrize(
    "path",
    [
        "/aide/",
        "/aide/contact/",
        "/mentions-legales/",
        "/catalogue/",
        "/compte/connexion/",
        "/droits/simuler/",
        "/plan-du-site/",
    ],
)
def test_every_page_but_home_has_a_breadcrumb(client, english, path):
    page = client.get(path).content.decode()
    assert 'class="fr-breadcrumb"' in page, path
    assert 'class="fr-breadcrumb"' not in client.get("/").content.decode()


def test_a_trail_is_declared_once_by_url_names(english):
    assert trail("support:help") == [{"url": "/aide/", "title": "Help"}]
    assert trail(("/x/", "X"))[0]["url"] == "/x/"
