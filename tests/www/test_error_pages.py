"""Error pages: the DSFR layout in the visitor's language with a way back (home and contact), the right status;
403 and the CSRF failure also when DJANGO_DEBUG is on; a favicon, robots.txt and a sitemap of public pages."""

import pytest
from django.test import Client

from tests.accounts.factories import HolderFactory

pytestmark = pytest.mark.django_db


def _way_back(page: str) -> bool:
    return 'href="/"' in page and 'href="/aide/contact/"' in page and "fr-header" in page


def test_404_in_french_and_in_english(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and _way_back(response.content.decode())
    assert '<html lang="fr"' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/no-such-page/").content.decode()
    assert '<html lang="en"' in page and "Page not found" in page


@pytest.mark.parametrize("debug", [False, True])
def test_403_is_the_dsfr_page_also_in_debug(client, settings, english, debug):
    settings.DEBUG = debug
    client.force_login(HolderFactory().user)
    response = client.get("/gestion/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Access denied" in page and _way_back(page)


@pytest.mark.parametrize("debug", [False, True])
def test_a_form_sent_without_its_token_gets_the_expired_page(settings, english, debug):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/aide/contact/", {"subject": "other", "message": "A message long enough.", "email": "a@b.fr"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "The page has expired" in page and "nothing was saved" in page and _way_back(page)


def test_a_body_over_the_limit_gets_413_and_nothing_is_written(client, settings, english):
    from opencpf.support.models import Ticket

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/aide/contact/", {"subject": "other", "message": "x" * 5000, "email": "a@b.fr"})
    assert response.status_code == 413
    assert "too large" in response.content.decode() and not Ticket.objects.exists()


def test_500_page_without_the_request_context(client, english):
    from django.test import RequestFactory

    from opencpf.www.pages_views.errors import server_error

    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Something went wrong on our side" in page and 'href="/"' in page


def test_favicon_robots_and_sitemap(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("favicon.ico")
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Disallow: /gestion/" in text and "Disallow: /compte/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-pages.xml</loc>" in index
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    for path in ("/aide/", "/aide/contact/", "/catalogue/", "/mentions-legales/", "/accessibilite/"):
        assert f"<loc>http://testserver{path}</loc>" in sitemap, path
    assert "/gestion/" not in sitemap and "/compte/securite/" not in sitemap
    assert client.get("/plan-du-site/").status_code == 200
