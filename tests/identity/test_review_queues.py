"""The three agents' queues share one review path (issue 10): each shows the answer target of the parameter and what
is overdue; an item's page opens its document under audit; approving or refusing stamps who and when, audits,
emails the requester, and a second decision changes nothing."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencpf.accounts.models import AuditEvent, Holder
from opencpf.identity import access, services, situations
from opencpf.identity.models import AccessRequest, IdentityCheck, StatusProof
from opencpf.parameters.loader import value as parameter_value
from tests.accounts.factories import HolderFactory
from tests.identity.conftest import PDF, PNG, upload
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def file_one_of_each(holder) -> dict:
    check = services.identity_check_file(
        user=holder.user, document_kind="passport", upload=upload("p.png", PNG, "image/png")
    )
    proof = situations.status_proof_file(
        user=holder.user, situation="job_seeker", upload=upload("attestation.pdf", PDF)
    )
    request = access.access_request_file(
        nir=holder.nir,
        birth_date=holder.birth_date,
        email=holder.user.email,
        country="CA",
        reason="Moved to Montréal",
        upload=upload("bail.pdf", PDF),
    )
    return {"identity_checks": check, "status_proofs": proof, "access_requests": request}


@pytest.fixture
def agent_client():
    client = Client()
    agent = make_agent()
    agent_sign_in(client, agent)
    client.agent = agent
    return client


def test_each_queue_shows_the_target_and_what_is_overdue(agent_client):
    hours = int(parameter_value("identity/review_target_hours", timezone.localdate()))
    old = file_one_of_each(HolderFactory(basic_identity=True))
    fresh = file_one_of_each(HolderFactory(basic_identity=True))
    for item in old.values():
        type(item).objects.filter(pk=item.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours + 1))
    for name in old:
        page = agent_client.get(reverse(f"gestion:{name}")).content.decode()
        assert f"answered within {hours} hours" in page and "2 waiting" in page, name
        assert 'data-testid="review-overdue">1 overdue' in page, name
        # Oldest first; only the old one is late.
        first = page.index(reverse(f"gestion:{name[:-1]}", args=[old[name].pk]))
        assert first < page.index(reverse(f"gestion:{name[:-1]}", args=[fresh[name].pk]))
        assert page.count("fr-badge--error") == 1


@pytest.mark.parametrize(
    ("name", "model", "document_action"),
    [
        ("identity_check", IdentityCheck, "identity_document_opened"),
        ("status_proof", StatusProof, "status_proof_opened"),
        ("access_request", AccessRequest, "access_proof_opened"),
    ],
)
def test_an_item_page_opens_its_document_under_audit_and_refuses_a_second_decision(
    agent_client, django_capture_on_commit_callbacks, name, model, document_action
):
    holder = HolderFactory(basic_identity=True, user__email="titulaire@example.fr")
    item = file_one_of_each(holder)[f"{name}s"]
    page = agent_client.get(reverse(f"gestion:{name}", args=[item.pk])).content.decode()
    assert "Decide" in page and 'data-testid="review-approve"' in page
    document_url = {"access_request": "gestion:access_proof"}.get(name, f"gestion:{name}_document")
    opened = agent_client.get(reverse(document_url, args=[item.pk]))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) in (PDF, PNG)
    assert AuditEvent.objects.filter(action=document_action, actor=agent_client.agent, target=f"{name}:{item.pk}")
    refuse_url = {"access_request": "gestion:access_refuse"}.get(name, f"gestion:{name}_reject")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(reverse(refuse_url, args=[item.pk]), {"reason": "Document illisible"})
    item = model.objects.get(pk=item.pk)
    assert item.status in ("rejected", "refused") and item.decided_by == agent_client.agent
    assert AuditEvent.objects.filter(action=f"{name}_{item.status}", target=f"{name}:{item.pk}").count() == 1
    assert [m.to for m in mail.outbox] == [["titulaire@example.fr"]] and "Document illisible" in mail.outbox[0].body
    approve_url = {"access_request": "gestion:access_grant"}.get(name, f"gestion:{name}_approve")
    again = agent_client.post(reverse(approve_url, args=[item.pk]), follow=True)
    assert "already decided" in again.content.decode()
    assert model.objects.get(pk=item.pk).status == item.status
    holder.refresh_from_db()
    assert not holder.identity_verified and holder.status == "employee" and holder.abroad_access_granted_at is None
    assert "Document illisible" in agent_client.get(reverse(f"gestion:{name}", args=[item.pk])).content.decode()


def test_a_grant_with_an_end_date_in_the_past_changes_nothing(agent_client):
    holder = HolderFactory(abroad=True)
    request = file_one_of_each(holder)["access_requests"]
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    answer = agent_client.post(reverse("gestion:access_grant", args=[request.pk]), {"until": yesterday}, follow=True)
    assert "The end date is in the past." in answer.content.decode()
    assert AccessRequest.objects.get(pk=request.pk).status == "pending"
    assert Holder.objects.get(pk=holder.pk).abroad_access_granted_at is None
