"""GET /api/v1/advisors (DESIGN §4.4): the network that serves the situation and its sites, nearest first, with
the contract's fields; 400 with a message per bad field, never a 500."""

import pytest

from opencpf.advisors.enums import Network, SiteStatus
from tests.advisors.factories import make_site

pytestmark = pytest.mark.django_db
URL = "/api/v1/advisors"
CONTRACT_FIELDS = {"id", "name", "network", "address", "postal_code", "city", "distance_km"}


@pytest.fixture
def sites():
    return {
        "regional_paris": make_site("75010", networks=(Network.REGIONAL_OPERATOR,), name="Regional Paris"),
        "regional_lyon": make_site("69001", networks=(Network.REGIONAL_OPERATOR,), name="Regional Lyon"),
        "ft_lyon": make_site("69003", networks=(Network.FRANCE_TRAVAIL,), name="FT Lyon"),
        "ft_paris": make_site("75011", networks=(Network.FRANCE_TRAVAIL,), name="FT Paris"),
        "ft_villeurbanne": make_site("69100", networks=(Network.FRANCE_TRAVAIL,), name="FT Villeurbanne"),
        "ft_closed": make_site("69002", networks=(Network.FRANCE_TRAVAIL,), status=SiteStatus.CLOSED),
        "both": make_site("69007", networks=(Network.MISSION_LOCALE, Network.CAP_EMPLOI), name="ML+Cap Lyon"),
        "apec": make_site("69002", networks=(Network.APEC,), name="Apec Lyon"),
        "abroad": make_site("75007", networks=(Network.ABROAD,), remote_only=True, name="Abroad"),
    }


def test_shape_and_nearest_first(api_client, sites):
    response = api_client.get(URL, {"postal_code": "69002", "status": "job_seeker"})
    assert response.status_code == 200
    body = response.json()
    assert body["network"] == "france_travail" and body["explanation"]
    # the closed site is left out, and Paris is too far when Lyon has sites
    assert [r["name"] for r in body["results"]] == ["FT Lyon", "FT Villeurbanne"]
    first = body["results"][0]
    assert set(first) >= CONTRACT_FIELDS
    assert first == first | {
        "id": sites["ft_lyon"].pk,
        "network": "france_travail",
        "postal_code": "69003",
        "city": sites["ft_lyon"].city,
        "address": "1 rue de l'Exemple",
    }
    assert isinstance(first["distance_km"], float) and first["distance_km"] < body["results"][1]["distance_km"]


@pytest.mark.parametrize(
    ("query", "network", "first"),
    [
        ({"status": "employee"}, "regional_operator", "Regional Lyon"),
        ({"status": "self_employed"}, "regional_operator", "Regional Lyon"),
        ({"status": "employee", "age": "22"}, "mission_locale", "ML+Cap Lyon"),
        ({"status": "employee", "disabled_worker": "true"}, "cap_emploi", "ML+Cap Lyon"),
        ({"status": "employee", "manager": "true"}, "apec", "Apec Lyon"),
        ({"status": "job_seeker", "age": "22", "manager": "true"}, "mission_locale", "ML+Cap Lyon"),
        ({}, "regional_operator", "Regional Lyon"),  # an employee unless told otherwise
    ],
)
def test_the_situation_chooses_the_network(api_client, sites, query, network, first):
    body = api_client.get(URL, {"postal_code": "69001", **query}).json()
    assert body["network"] == network
    assert body["results"][0]["name"] == first and body["results"][0]["network"] == network


def test_holders_abroad_get_the_remote_network(api_client, sites):
    body = api_client.get(URL, {"country": "CA", "status": "employee"}).json()
    assert body["network"] == "abroad"
    assert [(r["name"], r["distance_km"]) for r in body["results"]] == [("Abroad", None)]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"postal_code": "7501", "status": "employee"}, {"postal_code"}),
        ({"postal_code": "99999"}, {"postal_code"}),
        ({"status": "employee"}, {"postal_code"}),
        ({"postal_code": "75011", "status": "retired"}, {"status"}),
        ({"postal_code": "75011", "age": "abc"}, {"age"}),
        ({"postal_code": "75011", "age": "-3"}, {"age"}),
        ({"postal_code": "75011", "age": "99999999999999999999"}, {"age"}),
        ({"postal_code": "75011", "disabled_worker": "maybe"}, {"disabled_worker"}),
        ({"postal_code": "75011", "country": "XX"}, {"country"}),
        ({"postal_code": "75\x0011", "status": "emp\x00loyee"}, {"postal_code", "status"}),
        ({"postal_code": "7501１"}, {"postal_code"}),  # a full-width digit
    ],
)
def test_bad_input_is_400_per_field(api_client, sites, query, fields, english):
    response = api_client.get(URL, query)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert set(errors) == fields and all(errors[field] for field in fields)


def test_the_schema_documents_the_endpoint(api_client):
    schema = api_client.get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/advisors"]["get"]
    assert {"200", "400"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {
        "postal_code",
        "status",
        "age",
        "disabled_worker",
        "manager",
    }
