from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencpf.catalogue import search_index
from opencpf.catalogue.enums import OrganisationStatus
from tests.catalogue.factories import CertificationFactory, OfferFactory, OrganisationFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    organisation = OrganisationFactory(name="Institut des Langues de Lyon")
    english = OfferFactory(
        title="Anglais professionnel",
        organisation=organisation,
        certification=CertificationFactory(code="RNCP37274", title="Anglais professionnel", level=5),
        price=Decimal("1290.5"),
        hours=Decimal("35"),
        rating_average=Decimal("4.60"),
        rating_count=12,
        rating_details={"content": "4.70"},
    )
    SessionFactory(offer=english, where=("69003", "Lyon"), days_from_now=40)
    SessionFactory(offer=english, is_remote=True, days_from_now=15)
    german = OfferFactory(title="Allemand débutant", organisation=organisation, price=Decimal("800"))
    SessionFactory(offer=german, where=("75011", ""), days_from_now=20)
    OfferFactory(title="Anglais caché", organisation=OrganisationFactory(status=OrganisationStatus.DELISTED))
    search_index.rebuild()
    return {"english": english, "german": german}


def test_search_contract(api_client, catalogue):
    response = api_client.get("/api/v1/offers", {"q": "anglais"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (result,) = body["results"]
    assert set(result) >= {"id", "title", "price", "hours", "modality", "organisation", "rating", "next_session"}
    assert "distance_km" not in result
    assert result["id"] == catalogue["english"].pk
    assert result["price"] == "1290.50"
    assert result["hours"] == 35
    assert result["modality"] == "on_site"
    assert result["organisation"]["name"] == "Institut des Langues de Lyon"
    assert result["rating"] == 4.6
    assert result["next_session"]["start_date"] == in_days(15).isoformat()
    assert result["next_session"]["remote"] is True


def test_search_with_a_place_gives_distances_and_the_matching_session(api_client, catalogue):
    body = api_client.get("/api/v1/offers", {"q": "anglais", "postal_code": "69001", "radius_km": 10}).json()
    (result,) = body["results"]
    assert 0 < result["distance_km"] < 3
    assert result["next_session"]["city"] == "Lyon 3e Arrondissement"
    assert result["next_session"]["start_date"] == in_days(40).isoformat()
    body = api_client.get("/api/v1/offers", {"postal_code": "75001", "radius_km": 5, "sort": "distance"}).json()
    assert [r["title"] for r in body["results"]] == ["Allemand débutant"]


def test_search_filters_and_sorts(api_client, catalogue):
    def titles(**params):
        response = api_client.get("/api/v1/offers", params)
        assert response.status_code == 200, response.json()
        return [r["title"] for r in response.json()["results"]]

    assert titles(max_price="1000") == ["Allemand débutant"]
    assert titles(certification="RNCP37274") == ["Anglais professionnel"]
    assert titles(remote="true") == []  # on-site offers, even with a remote session
    assert titles(min_rating="4", max_hours="100") == ["Anglais professionnel"]
    assert titles(max_hours="100", sort="price") == ["Allemand débutant", "Anglais professionnel"]
    assert titles(max_hours="100", sort="rating") == ["Anglais professionnel", "Allemand débutant"]
    assert titles(max_hours="100", sort="start_date") == ["Anglais professionnel", "Allemand débutant"]
    assert titles(start_after=in_days(18).isoformat(), sort="start_date") == [
        "Allemand débutant",
        "Anglais professionnel",
    ]
    assert titles(start_after=in_days(18).isoformat(), start_before=in_days(30).isoformat()) == ["Allemand débutant"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "anglais", "postal_code": "00000"}, "postal_code"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": 0}, "radius_km"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": -3}, "radius_km"),
        ({"q": "anglais", "postal_code": "69001", "radius_km": 100000}, "radius_km"),
        ({"q": "anglais", "radius_km": "loin"}, "radius_km"),
        ({"q": "anglais", "start_after": "2031-01-02", "start_before": "2031-01-01"}, "start_before"),
        ({"q": "anglais", "start_after": "02/01/2031"}, "start_after"),
        ({"q": "anglais", "remote": "peut-être"}, "remote"),
        ({"q": "anglais", "max_price": "cher"}, "max_price"),
        ({"q": "anglais", "max_price": "-10"}, "max_price"),
        ({"q": "anglais", "min_rating": "9"}, "min_rating"),
        ({"q": "anglais", "certification": "ABC123"}, "certification"),
        ({"q": "anglais", "sort": "distance"}, "sort"),
        ({"q": "anglais", "sort": "cheapest"}, "sort"),
        ({"q": "anglais", "page": 2}, "page"),
        ({"q": "anglais", "page": 0}, "page"),
        ({"q": "anglais", "page": "x"}, "page"),
    ],
)
def test_bad_input_is_a_400_per_field(api_client, catalogue, params, field):
    response = api_client.get("/api/v1/offers", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_empty_result_is_explained(api_client, catalogue):
    body = api_client.get("/api/v1/offers", {"q": "anglais", "postal_code": "29200", "radius_km": 5}).json()
    assert body["count"] == 0 and body["results"] == [] and body["notices"]


def test_offer_detail_with_its_sessions(api_client, catalogue):
    english = catalogue["english"]
    response = api_client.get(f"/api/v1/offers/{english.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Anglais professionnel" and body["price"] == "1290.50"
    assert body["certification"] == {"code": "RNCP37274", "kind": "rncp", "title": "Anglais professionnel", "level": 5}
    assert body["organisation"]["siret"] == english.organisation.siret
    assert body["rating"] == {"average": 4.6, "count": 12, "details": {"content": 4.7}}
    assert [s["start_date"] for s in body["sessions"]] == [in_days(15).isoformat(), in_days(40).isoformat()]
    assert body["sessions"][0]["remote"] is True
    assert body["sessions"][1]["city"] == "Lyon 3e Arrondissement" and body["sessions"][1]["seats"] == 12


def test_offer_detail_of_a_hidden_or_unknown_offer_is_404(api_client, catalogue):
    hidden = OfferFactory(organisation=OrganisationFactory(status=OrganisationStatus.DELISTED))
    assert api_client.get(f"/api/v1/offers/{hidden.pk}").status_code == 404
    assert api_client.get("/api/v1/offers/987654").status_code == 404
    assert api_client.get("/api/v1/offers/abc").status_code == 400


def test_the_schema_documents_the_offers_endpoints(api_client):
    paths = api_client.get("/api/v1/schema/").json()["paths"]
    parameters = {p["name"] for p in paths["/api/v1/offers"]["get"]["parameters"]}
    assert parameters >= {
        "q",
        "postal_code",
        "radius_km",
        "remote",
        "start_after",
        "start_before",
        "max_price",
        "max_hours",
        "certification",
        "min_rating",
        "sort",
        "page",
    }
    assert "/api/v1/offers/{offer_id}" in paths


_anything = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", "0", "-1", "1e400", "NaN", "Infinity", "2026-02-30", "9999-12-31", "0001-01-01", "69001"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "postal_code",
                "radius_km",
                "remote",
                "start_after",
                "start_before",
                "max_price",
                "max_hours",
                "certification",
                "min_rating",
                "sort",
                "page",
            ]
        ),
        _anything,
        max_size=6,
    )
)
def test_any_input_is_answered_without_a_server_error(api_client, catalogue, params):
    params = {key: value.replace("\x00", "") for key, value in params.items()}
    response = api_client.get("/api/v1/offers", params)
    assert response.status_code in (200, 400), (params, response.content)
    body = response.json()
    assert ("results" in body) if response.status_code == 200 else body["errors"]
