"""What clients send that the API does not expect: JSON in DESIGN §4's shape, never a 500, nothing written."""

import json

import pytest
from django.urls import reverse

from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier
from tests.api.test_dossiers_api import days, registered, token
from tests.dossiers.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(price="1200.00", start=days(60), end=days(64), acquired="3000.00")


def post(client, path, body: str, user=None, **headers):
    if user is not None:
        headers["Authorization"] = f"Bearer {token(user)}"
    return client.post(path, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("year", ["0", "-1", "-17592186044416", "10000", "99999999999999999999"])
def test_simulate_with_an_impossible_year_is_a_400_on_the_year(client, year):
    response = client.get("/api/v1/rights/simulate", {"year": year, "status": "employee", "hours_worked": "1607"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]


def test_unparsable_json_answers_the_error_shape_in_the_callers_language(client, world, english):
    response = post(client, "/api/v1/dossiers", "{not json", world.user, **{"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"__all__": ["The request body is not valid JSON."]}}


def test_unparsable_json_is_answered_in_french_by_default(client, world):
    response = post(client, "/api/v1/dossiers", "{not json", world.user, **{"Accept-Language": "fr"})
    assert response.status_code == 400 and response["Content-Language"] == "fr"
    assert list(response.json()["errors"]) == ["__all__"]


@pytest.mark.parametrize("body", ["null", "[]", '"cancel"', "0"])
def test_a_body_that_is_not_an_object_cancels_nothing(client, world, body):
    dossier = registered(world)
    response = post(client, f"/api/v1/dossiers/{dossier.pk}/cancel", body, world.user)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["__all__"]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED


def test_a_nul_character_in_a_body_is_a_400_on_its_field(client, world):
    dossier = registered(world)
    response = post(client, f"/api/v1/dossiers/{dossier.pk}/cancel", json.dumps({"reason": "a\x00b"}), world.user)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED


def test_a_nul_character_in_a_nested_body_field_or_a_query_is_a_400(client, world):
    holder = {"nir": "1", "address": {"line1": "3 rue\x00", "city": "Paris"}}
    response = post(client, "/api/v1/holders", json.dumps(holder))
    assert response.status_code == 400 and list(response.json()["errors"]) == ["address.line1"]
    assert client.get("/api/v1/offers", {"q": "anglais\x00"}).json()["errors"] == {
        "q": [response.json()["errors"]["address.line1"][0]]
    }


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_upload_limit_is_a_json_413(client, world, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    dossier = registered(world)
    body = json.dumps({"reason": "x" * 2000})
    response = post(client, f"/api/v1/dossiers/{dossier.pk}/cancel", body, world.user)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert list(response.json()["errors"]) == ["__all__"]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-1-5", "05/01/2026", "9999-12-31", "0001-01-01"])
def test_offer_dates_are_iso_and_in_a_sane_window(client, value):
    response = client.get("/api/v1/offers", {"start_before": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start_before"]


@pytest.mark.parametrize("offer_id", [2**63, 2**64, 10**30])
def test_ids_beyond_64_bits_are_refused_cleanly(client, world, offer_id):
    response = client.get(f"/api/v1/offers/{offer_id}")
    assert response.status_code in (400, 404)
    assert client.get(
        f"/api/v1/dossiers/{offer_id}", headers={"Authorization": f"Bearer {token(world.user)}"}
    ).status_code in (400, 404)
    response = post(client, "/api/v1/dossiers", json.dumps({"session_id": offer_id}), world.user)
    assert response.status_code == 400 and list(response.json()["errors"]) == ["session_id"]


def test_a_proposal_dated_in_year_9999_is_refused_and_accept_never_overflows(client, world):
    dossier = registered(world)
    body = {"price": "1200.00", "start": "9999-12-20", "end": "9999-12-30"}
    response = post(client, f"/api/v1/dossiers/{dossier.pk}/propose", json.dumps(body), world.staff)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"start", "end"}
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED


def test_the_web_proposal_form_refuses_year_9999(client, world):
    dossier = registered(world)
    client.force_login(world.staff)
    response = client.post(
        reverse("dossiers:organisation_action", args=[dossier.pk, "propose"]),
        {"session": "", "start": "9999-12-20", "end": "9999-12-30", "price": "1200.00"},
    )
    assert response.status_code in (200, 400)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED
