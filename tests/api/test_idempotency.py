"""`Idempotency-Key` on write endpoints (DESIGN §4.5): the same key and body get the first answer without acting
twice; the same key with another body gets 422 with DESIGN §4's error body; keys are per caller and expire."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from opencpf.api.models import IdempotencyRecord
from opencpf.dossiers.models import Dossier, DossierEvent
from tests.api.test_dossiers_api import registered, token
from tests.dossiers.factories import make_world

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def world():
    return make_world(price="1200.00", start=days(60), end=days(64), acquired="3000.00")


def post(client, key, path, body, idempotency_key):
    headers = {"Authorization": f"Bearer {key}"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    return client.post(path, body, content_type="application/json", headers=headers)


def test_same_key_same_body_replays_the_first_answer_without_acting_twice(client, world):
    key = token(world.user)
    first = post(client, key, "/api/v1/dossiers", {"session_id": world.session.pk}, "k-1")
    assert first.status_code == 201
    again = post(client, key, "/api/v1/dossiers", f'{{ "session_id" : {world.session.pk} }}', "k-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.filter(holder=world.holder).count() == 1
    # Without the key, the second registration is what it always was: refused, the file is open already.
    assert post(client, key, "/api/v1/dossiers", {"session_id": world.session.pk}, None).status_code == 409


def test_same_key_another_body_is_422_and_acts_not(client, world, english):
    staff_key = token(world.staff)
    dossier = registered(world)
    path = f"/api/v1/dossiers/{dossier.pk}/propose"
    assert post(client, staff_key, path, {"price": "1200.00"}, "p-1").status_code == 200
    events = DossierEvent.objects.filter(dossier=dossier).count()
    other = post(client, staff_key, path, {"price": "1100.00"}, "p-1")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused" and "another request" in other.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.proposal_price == 1200 and DossierEvent.objects.filter(dossier=dossier).count() == events
    # Another path with the same key is another request too.
    assert post(client, staff_key, f"/api/v1/dossiers/{dossier.pk}/refuse", {"reason": "x"}, "p-1").status_code == 422


def test_keys_are_per_caller_and_expire(client, world):
    holder_key, staff_key = token(world.user), token(world.staff)
    assert post(client, holder_key, "/api/v1/dossiers", {"session_id": world.session.pk}, "shared").status_code == 201
    dossier = Dossier.objects.get(holder=world.holder)
    # The organisation's own "shared" key is not the holder's.
    response = post(client, staff_key, f"/api/v1/dossiers/{dossier.pk}/propose", {"price": "1200.00"}, "shared")
    assert response.status_code == 200 and "Idempotent-Replayed" not in response
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=25),
        expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    again = post(client, holder_key, "/api/v1/dossiers", {"session_id": world.session.pk}, "shared")
    assert again.status_code == 409 and "Idempotent-Replayed" not in again  # acted again: the file is open already


def test_bad_keys_and_bad_bodies(client, world, english):
    key = token(world.user)
    too_long = post(client, key, "/api/v1/dossiers", {"session_id": world.session.pk}, "x" * 256)
    assert too_long.status_code == 400 and list(too_long.json()["errors"]) == ["Idempotency-Key"]
    assert not Dossier.objects.exists()
    bad = post(client, key, "/api/v1/dossiers", {"session_id": "abc"}, "b-1")
    assert bad.status_code == 400
    # A client error is an answer like any other: replayed, not acted on.
    assert post(client, key, "/api/v1/dossiers", {"session_id": "abc"}, "b-1").json() == bad.json()
    assert not Dossier.objects.exists()


def test_the_schema_documents_the_header_and_its_answers(client):
    schema = client.get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/dossiers/{dossier_id}/propose"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
    assert {"409", "422"} <= set(operation["responses"])
    assert "Idempotency-Key" not in [p["name"] for p in schema["paths"]["/api/v1/auth/token"]["post"]["parameters"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests need PostgreSQL")
def test_concurrent_retries_act_once():
    world = make_world(price="1200.00", start=days(60), end=days(64), acquired="3000.00")
    key = token(world.user)
    barrier, answers = threading.Barrier(4), []

    def retry():
        barrier.wait()
        try:
            answers.append(
                post(Client(), key, "/api/v1/dossiers", {"session_id": world.session.pk}, "same").status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Dossier.objects.filter(holder=world.holder).count() == 1
    assert sorted(answers).count(201) >= 1 and set(answers) <= {201, 409}


def test_authentication_answers_before_idempotency(client, world):
    """Anonymous callers behind one address share a key store: a secured write without a valid credential gets 401
    from the endpoint, never another caller's 422 or replay."""
    headers = {"Idempotency-Key": "shared-key"}
    first = client.post("/api/v1/holders", {"nir": "1"}, content_type="application/json", headers=headers)
    assert first.status_code == 400  # an anonymous write: served once per key, as before
    for auth in ({}, {"Authorization": "Bearer not-a-token"}):
        response = client.post("/api/v1/status-proofs", {"situation": "job_seeker"}, headers=headers | auth)
        assert response.status_code == 401, response.content
    again = client.post("/api/v1/holders", {"nir": "2"}, content_type="application/json", headers=headers)
    assert again.status_code == 422 and again.json()["code"] == "idempotency_key_reused"
