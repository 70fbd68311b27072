"""The sitemap lists the offers the public may see, in pages of the protocol's size, one query per page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opencpf.www.sitemaps import PublicOffersSitemap
from tests.catalogue.factories import OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def locations(xml: str) -> list[str]:
    return re.findall(r"<loc>http://testserver([^<]+)</loc>", xml)


def test_published_offers_of_listed_organisations_are_in_the_sitemap_and_others_are_not(client):
    published = OfferFactory()
    unpublished = OfferFactory(is_active=False)
    sanctioned = OfferFactory(delisted_at=timezone.now())
    of_a_delisted_organisation = OfferFactory(organisation=OrganisationFactory(delisted=True))
    of_a_pending_organisation = OfferFactory(organisation=OrganisationFactory(pending=True))
    without_qualiopi = OfferFactory(organisation=OrganisationFactory(qualiopi_expired=True))

    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-offers.xml" in index
    response = client.get("/sitemap-offers.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    assert locations(xml) == [f"/catalogue/offres/{published.pk}/"]
    assert f"<lastmod>{timezone.localtime(published.updated_at):%Y-%m-%d}</lastmod>" in xml
    for hidden in (unpublished, sanctioned, of_a_delisted_organisation, of_a_pending_organisation, without_qualiopi):
        assert f"/catalogue/offres/{hidden.pk}/" not in xml
        assert client.get(f"/catalogue/offres/{hidden.pk}/").status_code == 404  # the same rule as the page


def test_offers_come_in_pages_listed_by_the_index_one_query_per_page(client, monkeypatch):
    monkeypatch.setattr(PublicOffersSitemap, "limit", 2)  # the protocol's 50 000, made small
    offers = OfferFactory.create_batch(5)
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-offers.xml?p=3" in index and "/sitemap-offers.xml?p=4" not in index

    seen = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/sitemap-offers.xml?p={page}")
        assert response.status_code == 200
        assert len([q for q in queries if "catalogue_offer" in q["sql"]]) == 1, [q["sql"] for q in queries]
        seen += locations(response.content.decode())
    assert seen == [f"/catalogue/offres/{offer.pk}/" for offer in offers]
    assert client.get("/sitemap-offers.xml?p=4").status_code == 404
    assert client.get("/sitemap-offers.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404
