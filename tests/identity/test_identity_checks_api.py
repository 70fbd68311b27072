"""POST /api/v1/identity-checks and the agents' decisions (DESIGN §2.5, §4.1), recovery of a squatted account."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from opencpf.accounts.models import ApiToken, Holder, KnownDevice, User
from opencpf.accounts.services import api_token_create
from opencpf.accounts.signin import device_remember
from opencpf.dossiers.models import Dossier
from opencpf.identity.models import IdentityCheck
from opencpf.scams.models import Report
from opencpf.utils.client import ClientInfo
from tests.accounts.factories import HolderFactory, UserFactory
from tests.dossiers.factories import make_world
from tests.identity.conftest import ELF, PDF, PNG, stored_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = "/api/v1/identity-checks"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user)[0]}"}


def send(client, data, *, user=None, **extra):
    return client.post(URL, data, headers=bearer(user) if user else {}, **extra)


def decide(client, agent, check_id, action, body=None):
    return client.post(
        f"/api/v1/agent/identity-checks/{check_id}/{action}",
        body or {},
        content_type="application/json",
        headers=bearer(agent),
    )


def test_a_signed_in_holder_is_verified_once_an_agent_approves(client, django_capture_on_commit_callbacks):
    holder = HolderFactory(basic_identity=True, user__email="claire@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client, {"document_kind": "passport", "document": upload("p.png", PNG, "image/png")}, user=holder.user
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["reference"].startswith("IDV-")
    assert "72 heures" in mail.outbox[-1].body
    # A second one while the first waits is refused.
    again = send(
        client, {"document_kind": "passport", "document": upload("p.png", PNG, "image/png")}, user=holder.user
    )
    assert again.status_code == 409 and again.json()["code"] == "already_pending"
    agent = UserFactory(agent=True)
    assert decide(client, holder.user, body["id"], "approve").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        approved = decide(client, agent, body["id"], "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    me = client.get("/api/v1/me", headers=bearer(holder.user)).json()
    assert me["identity_level"] == "verified" and me["holder"]["identity_source"] == "document_check"
    assert "identité est vérifiée" in mail.outbox[-1].body
    assert decide(client, agent, body["id"], "reject", {"reason": "x"}).status_code == 409


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("contrat.pdf", ELF, "is not a PDF, JPEG or PNG"),
        ("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_an_executable_or_an_oversized_document_is_refused_and_nothing_is_kept(
    client, evidence_dir, name, content, message
):
    holder = HolderFactory(basic_identity=True)
    response = send(client, {"document_kind": "id_card", "document": upload(name, content)}, user=holder.user)
    assert response.status_code == 400 and message in response.json()["errors"]["document"][0]
    assert not IdentityCheck.objects.exists() and stored_files(evidence_dir) == []


def test_bad_input_is_400_per_field(client):
    response = send(client, {"document_kind": "selfie", "nir": "12", "birth_date": "9999-99-99", "email": "x"})
    errors = response.json()["errors"]
    assert response.status_code == 400 and {"nir", "birth_date", "last_name", "email"} <= set(errors)
    nul = send(client, {"document_kind": "id\x00card", "document": upload("p.png", PNG, "image/png")})
    assert nul.status_code == 400
    assert not IdentityCheck.objects.exists()


def test_reject_needs_a_reason_and_tells_the_holder(client, django_capture_on_commit_callbacks):
    holder = HolderFactory(basic_identity=True)
    check_id = send(client, {"document_kind": "id_card", "document": upload("c.pdf", PDF)}, user=holder.user).json()[
        "id"
    ]
    agent = UserFactory(agent=True)
    assert decide(client, agent, check_id, "reject", {"reason": "  "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, agent, check_id, "reject", {"reason": "Document illisible"}).status_code == 200
    assert "Document illisible" in mail.outbox[-1].body
    assert Holder.objects.get(pk=holder.pk).identity_level == "basic"
    assert decide(client, agent, 999999, "approve").status_code == 404


def test_the_real_holder_recovers_a_squatted_account(client, django_capture_on_commit_callbacks):
    # A squatter opened the account with someone's NIR, name and birth date, and asked for a training.
    world = make_world(
        start=(timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        end=(timezone.localdate() + datetime.timedelta(days=64)).isoformat(),
        user__email="squatter@example.fr",
        last_name="Dupré-Martin",
    )
    squatter = world.user
    from opencpf.dossiers import services as dossiers

    dossier = dossiers.dossier_register(user=squatter, session_id=world.session.pk)
    squatter_token = api_token_create(user=squatter)[0]
    device_remember(user=squatter, client=ClientInfo(ip=None, country="", device="x"))
    holder = world.holder
    # The real holder, from the sign-in page, anonymously: "this is my number".
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            client,
            {
                "document_kind": "id_card",
                "document": upload("cni.pdf", PDF),
                "nir": holder.nir,
                "birth_date": holder.birth_date.isoformat(),
                "last_name": "DUPRE MARTIN",
                "email": "real.owner@example.fr",
            },
        )
    assert response.status_code == 201, response.content
    # Someone naming an identity that has no account gets the same answer.
    other = send(
        client,
        {
            "document_kind": "id_card",
            "document": upload("cni.pdf", PDF),
            "nir": holder.nir,
            "birth_date": "1970-01-01",
            "last_name": "Nobody",
            "email": "nobody@example.fr",
        },
    )
    assert other.status_code == 201 and set(other.json()) == set(response.json())
    agent = UserFactory(agent=True)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, agent, response.json()["id"], "approve").status_code == 200
    user = User.objects.get(pk=squatter.pk)
    assert user.email == "real.owner@example.fr" and not user.has_usable_password()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {squatter_token}"}).status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert not KnownDevice.objects.filter(user=user).exists()
    assert Dossier.objects.get(pk=dossier.pk).frozen_at is not None
    assert Report.objects.filter(holder=holder).count() == 1
    recipients = {m.to[0] for m in mail.outbox}
    assert {"squatter@example.fr", "real.owner@example.fr"} <= recipients
    link = next(m for m in mail.outbox if m.to == ["real.owner@example.fr"] and "/mot-de-passe-oublie/" in m.body)
    url = next(line for line in link.body.splitlines() if "/mot-de-passe-oublie/" in line).strip()
    page = client.get(url.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert page.status_code == 200 and b'name="new_password1"' in page.content
    assert Holder.objects.get(pk=holder.pk).identity_level == "verified"


def test_documents_are_purged_after_the_retention_delay_dry_by_default(client, evidence_dir):
    holder = HolderFactory(basic_identity=True)
    check_id = send(client, {"document_kind": "id_card", "document": upload("c.pdf", PDF)}, user=holder.user).json()[
        "id"
    ]
    decide(client, UserFactory(agent=True), check_id, "reject", {"reason": "flou"})
    IdentityCheck.objects.filter(pk=check_id).update(decided_at=timezone.now() - datetime.timedelta(days=31))
    out = StringIO()
    call_command("purge_identity_documents", stdout=out)
    assert "1 identity documents would be deleted" in out.getvalue() and len(stored_files(evidence_dir)) == 1
    call_command("purge_identity_documents", "--wet-run", stdout=out)
    assert stored_files(evidence_dir) == [] and IdentityCheck.objects.get(pk=check_id).document_deleted_at
