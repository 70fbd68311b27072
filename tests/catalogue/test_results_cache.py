"""A rendered page of results is cached per query string, language and index version: an offer changed through the
services shows at once on the page (never the cached page of before), and the other language never gets it."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from opencpf.catalogue.services import offers
from tests.accounts.factories import HolderFactory
from tests.catalogue.factories import SessionFactory
from tests.catalogue.test_offer_management import new_offer, space  # noqa: F401 (fixture)
from tests.dossiers.factories import give_acquired

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
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
