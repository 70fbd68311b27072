"""DESIGN §2.5 / §4.1: nothing but reading before the email is confirmed; engaging rights needs a verified identity."""

import datetime

import pytest
from django.utils import timezone

from opencpf.accounts.enums import IdentityLevel
from opencpf.accounts.models import Holder
from opencpf.accounts.services import api_token_create
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.rules import PARIS
from tests.dossiers.factories import balances, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CARD = {"number": "4242 4242 4242 4242", "expiry_month": 12, "expiry_year": 2099, "cvc": "123"}


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def moment() -> datetime.datetime:
    return datetime.datetime.combine(timezone.localdate(), datetime.time(10), tzinfo=PARIS)


def test_an_unconfirmed_email_reads_but_cannot_register(api_client):
    world = make_world(start=days(60), end=days(64), user__unconfirmed=True)
    client = api_client.bearer(api_token_create(user=world.user)[0])
    me = client.get("/api/v1/me").json()
    assert me["email_confirmed"] is False and me["identity_level"] == "verified"
    assert client.get("/api/v1/dossiers").status_code == 200
    response = client.post("/api/v1/dossiers", {"session_id": world.session.pk})
    assert response.status_code == 403
    assert response.json()["code"] == "email_unconfirmed" and "Confirm your email" in response.json()["detail"]
    assert not Dossier.objects.exists()


def test_a_basic_identity_registers_but_cannot_accept_until_verified(api_client):
    world = make_world(start=days(60), end=days(64), basic_identity=True)
    client = api_client.bearer(api_token_create(user=world.user)[0])
    assert client.get("/api/v1/me").json()["identity_level"] == "basic"
    created = client.post("/api/v1/dossiers", {"session_id": world.session.pk})
    assert created.status_code == 201
    dossier_id = created.json()["id"]
    services.dossier_propose(dossier_id=dossier_id, user=world.staff, price="1200.00", now=moment())
    before = balances(world.holder)
    refused = client.post(f"/api/v1/dossiers/{dossier_id}/accept", {"card": CARD})
    assert refused.status_code == 403 and refused.json()["code"] == "identity_required"
    assert Dossier.objects.get(pk=dossier_id).state == DossierState.PROPOSED and balances(world.holder) == before
    Holder.objects.filter(pk=world.holder.pk).update(
        identity_level=IdentityLevel.VERIFIED, identity_source="in_person", identity_verified_at=timezone.now()
    )
    accepted = client.post(f"/api/v1/dossiers/{dossier_id}/accept", {"card": CARD})
    assert accepted.status_code == 200 and accepted.json()["state"] == "confirmed"


def test_schema_lists_the_new_answers(api_client):
    paths = api_client.get("/api/v1/schema/").json()["paths"]
    assert {"200", "401", "429"} <= set(paths["/api/v1/auth/token"]["post"]["responses"])
    assert "403" in paths["/api/v1/dossiers"]["post"]["responses"]
