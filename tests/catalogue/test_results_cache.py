"""A rendered page of results is cached per query string, language and index version: an offer changed through the
services shows at once on the page (never the cached page of before), and the other language never gets it."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.test import Client

from opencpf.catalogue.services import offers
from tests.accounts.factories import HolderFactory
from tests.catalogue.factories import SessionFactory
from tests.catalogue.test_offer_management import new_offer, space  # noqa: F401 (fixture)
from tests.dossiers.factories import give_acquired

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def _page(client, q: str, **headers) -> str:
    return client.get("/catalogue/", {"q": q}, headers=headers).content.decode()


def test_an_offer_changed_shows_at_once_on_a_cached_results_page(space, django_capture_on_commit_callbacks):  # noqa: F811
    _organisation, manager, _certification = space
    with django_capture_on_commit_callbacks(execute=True):
        offer = new_offer(space)
        offers.offer_publish(actor=manager, offer_id=offer.pk)
    client = Client()
    first = _page(client, "affaires")
    assert "Anglais des affaires" in first
    assert "Anglais des affaires" in _page(client, "affaires", **{"HX-Request": "true"})

    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_update(actor=manager, offer_id=offer.pk, title="Anglais des affaires et du droit")
    assert "Anglais des affaires et du droit" in _page(client, "affaires")
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_close(actor=manager, offer_id=offer.pk)
    assert "Anglais des affaires" not in _page(client, "affaires")
    assert "Anglais des affaires" not in _page(client, "affaires", **{"HX-Request": "true"})


def test_each_language_gets_its_own_cached_results(space, django_capture_on_commit_callbacks):  # noqa: F811
    _organisation, manager, _certification = space
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_publish(actor=manager, offer_id=new_offer(space).pk)
    french = Client()
    assert "1 formation trouvée" in _page(french, "affaires")
    english = Client()
    english.cookies["opencpf_language"] = "en"
    assert "1 training found" in _page(english, "affaires")
    assert "1 formation trouvée" in _page(french, "affaires")


def test_an_offer_page_is_cached_for_visitors_only_and_follows_changes(
    space,  # noqa: F811
    django_capture_on_commit_callbacks,
    english,
):
    """Signed out, the page is the same for everyone (cached); a holder's page shows their estimate and files and is
    never cached, nor served from the visitors' cache."""
    _organisation, manager, _certification = space
    with django_capture_on_commit_callbacks(execute=True):
        offer = new_offer(space)
        SessionFactory(offer=offer, days_from_now=60)
        offers.offer_publish(actor=manager, offer_id=offer.pk)
    path = f"/catalogue/offres/{offer.pk}/"
    visitor = Client()
    assert "Sign in to see what your rights would cover" in visitor.get(path).content.decode()

    holder = HolderFactory()
    give_acquired(holder, Decimal("500.00"))
    signed_in = Client()
    signed_in.force_login(holder.user)
    page = signed_in.get(path).content.decode()
    assert 'data-testid="estimate-funded"' in page and "Sign in to see" not in page
    assert 'data-testid="estimate-funded"' not in visitor.get(path).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_update(actor=manager, offer_id=offer.pk, title="Anglais des affaires et du droit")
    assert "Anglais des affaires et du droit" in visitor.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_close(actor=manager, offer_id=offer.pk)
    assert visitor.get(path).status_code == 404


def _published_offer(space, django_capture_on_commit_callbacks):  # noqa: F811
    _organisation, manager, _certification = space
    with django_capture_on_commit_callbacks(execute=True):
        offer = new_offer(space)
        SessionFactory(offer=offer, days_from_now=60)
        offers.offer_publish(actor=manager, offer_id=offer.pk)
    return offer


@pytest.mark.parametrize("kind", ["search", "offer"])
def test_a_cached_page_gives_each_visitor_a_working_csrf_token_of_their_own(
    kind,
    space,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    """The whole page is kept for signed-out visitors, but its form (the language switch) must carry the visitor's
    own token: a token cached from another visitor would be refused, or would tie two visitors together."""
    offer = _published_offer(space, django_capture_on_commit_callbacks)
    path = f"/catalogue/offres/{offer.pk}/" if kind == "offer" else "/catalogue/?q=affaires"
    first = Client(enforce_csrf_checks=True)
    assert "Anglais des affaires" in first.get(path).content.decode()

    second = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):  # served from the cache: no query at all
        page = second.get(path)
    html = page.content.decode()
    assert "Anglais des affaires" in html and "__opencpf_csrf_token__" not in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert second.cookies["csrftoken"].value  # the visitor's CSRF cookie is set, as on any page with a form
    switched = second.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": path})
    assert switched.status_code == 302 and second.cookies["opencpf_language"].value == "en"
    # The first visitor's cookie does not go with the second visitor's token.
    refused = first.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": path})
    assert refused.status_code == 403


@pytest.mark.parametrize("kind", ["search", "offer"])
def test_a_cached_page_carries_the_nonce_of_its_own_content_security_policy(
    kind,
    space,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """The page's scripts carry a CSP nonce: on a cached page it must be the one of this answer's header (a nonce
    kept from another answer would be one an attacker could read and reuse)."""
    offer = _published_offer(space, django_capture_on_commit_callbacks)
    path = f"/catalogue/offres/{offer.pk}/" if kind == "offer" else "/catalogue/?q=affaires"
    nonces = []
    for _visitor in range(3):
        response = Client().get(path)
        html = response.content.decode()
        assert "__opencpf_csp_nonce__" not in html
        nonce = html.split(' nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_a_flash_message_is_shown_on_a_cached_page_and_never_kept_in_it(space, django_capture_on_commit_callbacks):  # noqa: F811
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    offer = _published_offer(space, django_capture_on_commit_callbacks)
    path = f"/catalogue/offres/{offer.pk}/"
    assert Client().get(path).status_code == 200  # now cached

    # A visitor arrives with a message waiting (as after a redirect), stored by Django's own cookie storage.
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, "Votre demande est envoyée.")
    response = HttpResponse()
    storage.update(response)
    with_message = Client()
    with_message.cookies["messages"] = response.cookies["messages"].value
    assert "Votre demande est envoyée." in with_message.get(path).content.decode()
    assert "Votre demande est envoyée." not in with_message.get(path).content.decode()  # shown once
    assert "Votre demande est envoyée." not in Client().get(path).content.decode()  # not kept for others


def test_workers_sharing_a_page_cache_directory_render_a_page_once(
    space,  # noqa: F811
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    settings,
    tmp_path,
):
    """With OPENCPF_PAGE_CACHE_DIR (the production set-up), the page one worker rendered is served by the others:
    here the second worker is stood for by a process cache emptied in between."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    offer = _published_offer(space, django_capture_on_commit_callbacks)
    path = f"/catalogue/offres/{offer.pk}/"
    assert "Anglais des affaires" in Client().get(path).content.decode()
    assert any(tmp_path.iterdir())  # written where every worker reads
    caches["default"].clear()
    with django_assert_num_queries(0):
        html = Client().get(path).content.decode()
    assert "Anglais des affaires" in html and "__opencpf_csrf_token__" not in html
