"""Issue 12's bad input on the files API: wrong types, missing or unknown fields, a proposal above the published
price — each a 400 on its field, in DESIGN §4's error body, and nothing written."""

import pytest

from opencpf.accounts.services import api_token_create
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from tests.dossiers.factories import make_world
from tests.dossiers.worklist_world import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(price="1200.00", start=days(60).isoformat(), end=days(64).isoformat())


def post(client, user, path, body):
    token = api_token_create(user=user)[0]
    return client.post(path, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "session_id"),  # missing
        ({"session_id": "abc"}, "session_id"),  # wrong type
        ({"session_id": [1]}, "session_id"),
        ({"session_id": 1.5}, "session_id"),
        ({"session_id": "SESSION", "unknown": 1}, "session_id"),
    ],
)
def test_registering_with_bad_fields_writes_nothing(client, world, body, field):
    if body.get("session_id") == "SESSION":
        body["session_id"] = world.session.pk
        field = "unknown"
    response = post(client, world.user, "/api/v1/dossiers", body)
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Dossier.objects.exists()


def test_an_unknown_field_in_a_move_is_refused_not_ignored(client, world):
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    response = post(client, world.staff, f"/api/v1/dossiers/{dossier.pk}/refuse", {"reason": "Complet", "force": 1})
    assert response.status_code == 400 and "force" in response.json()["errors"]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED


@pytest.mark.parametrize(
    "body, field",
    [
        ({"price": "1200.01"}, "price"),  # above the published price
        ({"price": "abc"}, "price"),
        ({"price": "800.00", "start": 20260316}, "start"),
        ({}, "price"),
    ],
)
def test_a_proposal_above_the_published_price_or_malformed_is_refused(client, world, body, field):
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    events = DossierEvent.objects.count()
    response = post(client, world.staff, f"/api/v1/dossiers/{dossier.pk}/propose", body)
    assert response.status_code == 400 and field in response.json()["errors"], response.content
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUBMITTED
    assert DossierEvent.objects.count() == events
