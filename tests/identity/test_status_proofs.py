"""Situations that move money (DESIGN §2.2, §2.5, §4.1): declared, they are pending; only an agent's approval of a
proof makes rights and the flat contribution take them into account."""

import pytest
from django.core import mail

from opencpf.accounts.enums import HolderStatus
from opencpf.accounts.models import Holder
from opencpf.accounts.nir import nir_key
from opencpf.accounts.services import api_token_create
from opencpf.identity.models import StatusProof
from tests.accounts.factories import HolderFactory, UserFactory
from tests.identity.conftest import ELF, PDF, stored_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user)[0]}"}


def me(client, user) -> dict:
    return client.get("/api/v1/me", headers=bearer(user)).json()


def test_registration_declares_but_nothing_counts_before_a_proof_is_approved(
    client, django_capture_on_commit_callbacks
):
    nir = "1880699123045" + nir_key("1880699123045")
    payload = {
        "nir": nir,
        "last_name": "Lefèvre",
        "first_names": "Jean",
        "birth_date": "1988-06-21",
        "email": "jean@example.fr",
        "phone": "+33 6 12 34 56 78",
        "address": {"line1": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse", "country": "FR"},
        "status": "job_seeker",
        "low_qualified": True,
        "disabled_worker": True,
        "password": "Tres-Bon-Mot-2026!",
    }
    assert client.post("/api/v1/holders", payload, content_type="application/json").status_code == 201
    holder = Holder.objects.get(nir=nir)
    # What rights and the contribution read: nothing favourable yet.
    assert (holder.status, holder.low_qualified, holder.disabled_worker) == (HolderStatus.EMPLOYEE, False, False)
    situations = me(client, holder.user)["holder"]["situations"]
    assert situations == {"confirmed": [], "pending": ["job_seeker", "low_qualified", "disabled_worker"]}

    # The holder sends the proof; an agent approves it; it counts.
    response = client.post(
        "/api/v1/status-proofs",
        {"situation": "disabled_worker", "document": upload("rqth.pdf", PDF)},
        headers=bearer(holder.user),
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    agent = UserFactory(agent=True)
    assert (
        client.post(
            f"/api/v1/agent/status-proofs/{response.json()['id']}/approve", headers=bearer(holder.user)
        ).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/api/v1/agent/status-proofs/{response.json()['id']}/approve", headers=bearer(agent))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    holder.refresh_from_db()
    assert holder.disabled_worker and not holder.low_qualified
    assert me(client, holder.user)["holder"]["situations"] == {
        "confirmed": ["disabled_worker"],
        "pending": ["job_seeker", "low_qualified"],
    }
    assert "confirmed your situation" in mail.outbox[-1].body


def test_work_accident_rate_sets_the_exemption_fields_on_approval(client):
    holder = HolderFactory()
    missing = client.post(
        "/api/v1/status-proofs",
        {"situation": "work_accident", "document": upload("a.pdf", PDF)},
        headers=bearer(holder.user),
    )
    assert missing.status_code == 400 and "rate" in missing.json()["errors"]
    response = client.post(
        "/api/v1/status-proofs",
        {"situation": "work_accident", "rate": "12", "document": upload("a.pdf", PDF)},
        headers=bearer(holder.user),
    )
    assert response.status_code == 201
    again = client.post(
        "/api/v1/status-proofs",
        {"situation": "work_accident", "rate": "12", "document": upload("a.pdf", PDF)},
        headers=bearer(holder.user),
    )
    assert again.status_code == 409 and again.json()["code"] == "already_pending"
    c2p = client.post(
        "/api/v1/status-proofs", {"situation": "c2p", "document": upload("c.pdf", PDF)}, headers=bearer(holder.user)
    )
    agent = UserFactory(agent=True)
    for proof_id in (response.json()["id"], c2p.json()["id"]):
        assert client.post(f"/api/v1/agent/status-proofs/{proof_id}/approve", headers=bearer(agent)).status_code == 200
    holder.refresh_from_db()
    assert str(holder.work_accident_rate) == "0.1200" and holder.c2p_confirmed


def test_a_rejected_or_invalid_proof_changes_nothing(client, evidence_dir):
    holder = HolderFactory()
    bad = client.post(
        "/api/v1/status-proofs",
        {"situation": "job_seeker", "document": upload("x.pdf", ELF)},
        headers=bearer(holder.user),
    )
    assert bad.status_code == 400 and not StatusProof.objects.exists() and stored_files(evidence_dir) == []
    unknown = client.post(
        "/api/v1/status-proofs",
        {"situation": "astronaut", "document": upload("x.pdf", PDF)},
        headers=bearer(holder.user),
    )
    assert unknown.status_code == 400 and "situation" in unknown.json()["errors"]
    proof = client.post(
        "/api/v1/status-proofs",
        {"situation": "job_seeker", "document": upload("x.pdf", PDF)},
        headers=bearer(holder.user),
    ).json()
    agent = UserFactory(agent=True)
    assert (
        client.post(
            f"/api/v1/agent/status-proofs/{proof['id']}/reject",
            {"reason": ""},
            content_type="application/json",
            headers=bearer(agent),
        ).status_code
        == 400
    )
    rejected = client.post(
        f"/api/v1/agent/status-proofs/{proof['id']}/reject",
        {"reason": "Attestation périmée"},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert rejected.status_code == 200
    holder.refresh_from_db()
    assert holder.status == HolderStatus.EMPLOYEE
    assert (
        client.post(
            "/api/v1/status-proofs", {"situation": "job_seeker"}, headers=bearer(UserFactory(organisation_staff=True))
        ).status_code
        == 403
    )


def test_my_information_cannot_switch_to_a_favourable_situation_with_effect(client):
    holder = HolderFactory(user__email="claire@example.fr")
    client.force_login(holder.user)
    response = client.post(
        "/compte/informations/",
        {
            "email": "claire@example.fr",
            "language": "en",
            "phone": holder.phone,
            "address_line1": holder.address_line1,
            "postal_code": holder.postal_code,
            "city": "Villeurbanne",
            "country": "FR",
            "status": "job_seeker",
            "low_qualified": "on",
        },
    )
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.city == "Villeurbanne"  # other fields change at once
    assert holder.status == HolderStatus.EMPLOYEE and not holder.low_qualified
    assert sorted(StatusProof.objects.filter(holder=holder).values_list("situation", flat=True)) == [
        "job_seeker",
        "low_qualified",
    ]


def test_my_situation_page_shows_pending_and_sends_a_proof(client):
    holder = HolderFactory(low_qualified_worker=True)
    StatusProof.objects.create(holder=holder, situation="job_seeker")
    client.force_login(holder.user)
    page = client.get("/compte/identite/situation/").content.decode()
    assert "No certification of level 3" in page.split('data-testid="confirmed"')[1].split("</ul>")[0]
    assert "Job seeker" in page.split('data-testid="pending"')[1].split("</ul>")[0]
    sent = client.post("/compte/identite/situation/", {"situation": "job_seeker", "document": upload("ft.pdf", PDF)})
    assert sent.status_code == 302
    assert StatusProof.objects.get(holder=holder, situation="job_seeker").document_storage_name
