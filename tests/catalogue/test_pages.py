import re
from decimal import Decimal

import pytest
from django.urls import reverse

from opencpf.catalogue import search_index
from opencpf.catalogue.enums import OrganisationStatus
from tests.catalogue.factories import OfferFactory, OrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    organisation = OrganisationFactory(name="Académie des Langues", description="Depuis 1990.")
    offer = OfferFactory(
        title="Anglais professionnel",
        organisation=organisation,
        price=Decimal("1290.50"),
        objectives="Tenir une réunion en anglais.",
        rating_average=Decimal("4.5"),
        rating_count=8,
        rating_details={"trainers": "4.80"},
    )
    SessionFactory(offer=offer, where=("69003", "Lyon"), days_from_now=40)
    for number in range(24):
        OfferFactory(title=f"Anglais niveau {number}", organisation=organisation)
    search_index.rebuild()
    return offer


def test_search_page_without_criteria_explains_the_catalogue(client):
    response = client.get(reverse("catalogue:search"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="search"' in page and 'name="q"' in page
    assert "fr-alert--error" not in page


def test_search_page_lists_results_with_pagination_and_keeps_filters_in_links(client, offer):
    response = client.get(reverse("catalogue:search"), {"q": "anglais", "sort": "price"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "25" in page and "Anglais niveau 0" in page and "Anglais professionnel" not in page  # the dearest
    assert "q=anglais&amp;sort=price&amp;page=2" in page
    assert 'hx-get="?q=anglais&amp;sort=price&amp;page=2"' in page
    second = client.get(reverse("catalogue:search"), {"q": "anglais", "sort": "price", "page": "2"})
    assert second.status_code == 200 and 'aria-current="page"' in second.content.decode()
    assert reverse("catalogue:offer", args=[offer.pk]) in second.content.decode()


def test_htmx_requests_get_only_the_results(client, offer):
    response = client.get(reverse("catalogue:search"), {"q": "anglais"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and "Anglais professionnel" in page


def test_bad_input_is_shown_on_the_page_not_a_server_error(client, offer):
    response = client.get(
        reverse("catalogue:search"), {"q": "anglais", "postal_code": "99999", "start_after": "hier", "page": "900"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "fr-alert--error" in page
    assert _invalid_inputs(page) >= {"id_postal_code", "id_start_after"}
    response = client.get(reverse("catalogue:search"), {"q": "anglais", "page": "3"})
    assert response.status_code == 200 and "fr-alert--error" in response.content.decode()


def _invalid_inputs(page: str) -> set[str]:
    return {
        re.search(r'\sid="([^"]+)"', tag).group(1)
        for tag in re.findall(r"<(?:input|select)\b[^>]*>", page)
        if 'aria-invalid="true"' in tag
    }


def test_search_filters_fold_after_the_keywords_and_the_count_takes_the_focus(client, offer):
    page = client.get(reverse("catalogue:search"), {"q": "anglais", "max_price": "2000"}).content.decode()
    keywords, filters, count = page.index('id="id_q"'), page.index('id="search-filters"'), page.index("results-count")
    assert keywords < filters < page.index('id="id_postal_code"')
    assert re.search(r'<details class="opencpf-filters[^"]*" id="search-filters">', page)  # folded until search.js
    assert "(1)" in page.split('id="search-filters"')[1].split("</summary>")[0]  # one filter in use
    assert re.search(r'<h2 class="fr-h4" id="results-count" tabindex="-1">', page) and count > keywords
    assert "aria-live" not in page.split('id="search-results"')[1][:200]  # no reading of 20 cards aloud
    assert "js/search.js" in page


def test_search_errors_say_each_thing_once_without_internal_values(client, offer, english):
    page = client.get(
        reverse("catalogue:search"),
        {"q": "anglais", "max_hours": "0", "certification": "zzz", "sort": "bogus", "min_rating": "9"},
    ).content.decode()
    summary = page.split('id="search-errors"')[1].split("</div>")[0]
    assert summary.count("<li>") == 4
    for internal in ("relevance", "distance", "0.1", "skills_assessment", "rncp, rs"):
        assert internal not in summary
    assert "Enter a number greater than 0" in summary and "Choose a sort order from the list." in summary
    assert '<a href="#id_max_hours">Maximum duration (hours)</a>:' in summary
    assert page.count("Choose a sort order from the list.") == 1  # not repeated under the field
    assert {"id_max_hours", "id_certification", "id_sort", "id_min_rating"} <= _invalid_inputs(page)
    htmx = client.get(
        reverse("catalogue:search"), {"q": "anglais", "max_price": "-3"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="search-errors" tabindex="-1"' in htmx and htmx.count("Enter a number from 0 to") == 1


def test_offer_page_shows_everything(client, offer):
    response = client.get(reverse("catalogue:offer", args=[offer.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Anglais professionnel",
        "Tenir une réunion en anglais.",
        "Lyon 3e Arrondissement",
        "Académie des Langues",
    ):
        assert text in page
    assert "1 290,50 €" in page.replace("\xa0", " ").replace("\u202f", " ")
    assert reverse("catalogue:organisation", args=[offer.organisation.pk]) in page


def test_organisation_page_lists_its_offers(client, offer):
    response = client.get(reverse("catalogue:organisation", args=[offer.organisation.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert offer.organisation.siret in page and "Anglais niveau 7" in page and "Depuis 1990." in page


def test_delisted_organisations_and_their_offers_are_not_shown(client):
    hidden = OfferFactory(organisation=OrganisationFactory(status=OrganisationStatus.DELISTED))
    assert client.get(reverse("catalogue:offer", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("catalogue:organisation", args=[hidden.organisation.pk])).status_code == 404


def test_objectives_and_programme_are_lists_and_stay_escaped():
    from opencpf.catalogue.templatetags.catalogue_tags import as_list

    assert (
        as_list("- Tenir une réunion\n- Écrire un courriel")
        == "<ul><li>Tenir une réunion</li><li>Écrire un courriel</li></ul>"
    )
    assert (
        as_list("Module 1 — Bases\nModule 2 — Réunions")
        == "<ul><li>Module 1 — Bases</li><li>Module 2 — Réunions</li></ul>"
    )
    assert (
        as_list("Vous saurez :\n• lire\n• écrire")
        == "<p class='fr-mb-1w'>Vous saurez :</p><ul><li>lire</li><li>écrire</li></ul>"
    )
    assert as_list("Une seule phrase.") == "<p>Une seule phrase.</p>"
    assert "<script>" not in as_list("- <script>x</script>\n- b")
