"""The identity pages (DESIGN §2.5): what the dashboard and the register/accept pages say is missing, the holder's
identity check, "this is my number" from the sign-in page, and the agents' queue in /gestion/."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencpf.accounts.models import Holder
from opencpf.dossiers import services
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.rules import PARIS
from opencpf.identity.models import AccessRequest, IdentityCheck
from tests.accounts.factories import HolderFactory
from tests.dossiers.factories import make_world
from tests.identity.conftest import ELF, PNG, stored_files, upload
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def test_the_dashboard_says_what_is_missing_and_links_in_one_click(client):
    basic = HolderFactory(basic_identity=True)
    client.force_login(basic.user)
    page = client.get(reverse("www:dashboard")).content.decode()
    assert 'data-testid="identity-missing"' in page and f'href="{reverse("identity:check")}"' in page
    client.force_login(HolderFactory().user)
    assert 'data-testid="identity-missing"' not in client.get(reverse("www:dashboard")).content.decode()


def test_register_button_explains_an_unconfirmed_email(client):
    world = make_world(start=days(60), end=days(64), user__unconfirmed=True)
    client.force_login(world.user)
    url = reverse("dossiers:register", args=[world.session.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="email-unconfirmed"' in page and reverse("accounts:confirm_email") in page
    refused = client.post(url)
    assert refused.status_code == 403 and not Dossier.objects.exists()


def test_accept_page_explains_identity_and_refuses(client):
    world = make_world(start=days(60), end=days(64), basic_identity=True)
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    now = datetime.datetime.combine(timezone.localdate(), datetime.time(10), tzinfo=PARIS)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00", now=now)
    client.force_login(world.user)
    url = reverse("dossiers:accept", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="identity-required"' in page and reverse("identity:check") in page
    card = {"number": "4242 4242 4242 4242", "expiry_month": "12", "expiry_year": "2099", "cvc": "123"}
    refused = client.post(url, {**card, "expected_card_amount": "103.20"})
    assert refused.status_code == 403 and "Verify your identity" in refused.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == "proposed"


def test_a_holder_sends_a_document_and_an_agent_approves_it_in_gestion(client):
    holder = HolderFactory(basic_identity=True)
    client.force_login(holder.user)
    response = client.post(
        reverse("identity:check"), {"document_kind": "passport", "document": upload("p.png", PNG, "image/png")}
    )
    assert response.status_code == 302 and response.url == reverse("identity:sent")
    check = IdentityCheck.objects.get()
    assert check.reference in client.get(reverse("identity:sent")).content.decode()
    assert "is being checked" in client.get(reverse("identity:check")).content.decode()
    # The holder cannot open the back office.
    assert client.get(reverse("gestion:identity_checks")).status_code == 403
    agent_client = Client()
    agent_sign_in(agent_client, make_agent())
    queue = agent_client.get(reverse("gestion:identity_checks")).content.decode()
    assert check.reference in queue and "72 hours" in queue
    document = agent_client.get(reverse("gestion:identity_check_document", args=[check.pk]))
    assert document.status_code == 200 and document["Content-Type"] == "image/png"
    assert b"".join(document.streaming_content) == PNG
    approved = agent_client.post(reverse("gestion:identity_check_approve", args=[check.pk]))
    assert approved.status_code == 302
    assert Holder.objects.get(pk=holder.pk).identity_verified


def test_this_is_my_number_from_the_sign_in_page(client, evidence_dir):
    assert reverse("identity:recover") in client.get(reverse("accounts:login")).content.decode()
    holder = HolderFactory()
    data = {
        "nir": holder.nir,
        "birth_date": holder.birth_date.isoformat(),
        "last_name": holder.last_name,
        "email": "me@example.fr",
        "document_kind": "id_card",
    }
    bad = client.post(reverse("identity:recover"), {**data, "document": upload("cni.pdf", ELF)})
    assert bad.status_code == 400 and "is not a PDF, JPEG or PNG" in bad.content.decode()
    assert not IdentityCheck.objects.exists() and stored_files(evidence_dir) == []
    ok = client.post(reverse("identity:recover"), {**data, "document": upload("cni.png", PNG, "image/png")})
    assert ok.status_code == 302
    check = IdentityCheck.objects.get()
    assert check.recovery and check.holder == holder and check.contact_email == "me@example.fr"


def test_anonymous_visitors_are_sent_to_sign_in_or_to_the_recovery_form(client):
    assert client.get(reverse("identity:check")).status_code == 302
    assert client.get(reverse("gestion:identity_checks")).status_code == 302
    assert client.get(reverse("identity:recover")).status_code == 200


def test_access_request_form_then_an_agent_grants_it_in_gestion(client):
    holder = HolderFactory(user__email="expat@example.fr", abroad=True)
    data = {
        "nir": holder.nir,
        "birth_date": holder.birth_date.isoformat(),
        "email": "expat@example.fr",
        "country": "CA",
        "reason_kind": "moved_abroad",
        "details": "Depuis 2024",
        "phone_abroad": "+1 514 555 0123",
        "address_abroad": "1 rue Sainte-Catherine\nMontréal QC",
    }
    missing = client.post(reverse("identity:access_request"), data)
    assert missing.status_code == 400 and not AccessRequest.objects.exists()
    sent = client.post(reverse("identity:access_request"), {**data, "proof": upload("bail.png", PNG, "image/png")})
    assert sent.status_code == 302
    request = AccessRequest.objects.get()
    assert request.holder == holder and request.reason == "I moved abroad: Depuis 2024"
    again = client.post(reverse("identity:access_request"), {**data, "proof": upload("bail.png", PNG, "image/png")})
    assert again.status_code == 409 and "already waiting" in again.content.decode()
    agent_client = Client()
    agent_sign_in(agent_client, make_agent())
    queue = agent_client.get(reverse("gestion:access_requests")).content.decode()
    assert request.reference in queue and reverse("gestion:access_request", args=[request.pk]) in queue
    item = agent_client.get(reverse("gestion:access_request", args=[request.pk])).content.decode()
    assert "+1 514 555 0123" in item and reverse("gestion:access_grant", args=[request.pk]) in item
    agent_client.post(reverse("gestion:access_grant", args=[request.pk]), {"until": ""})
    holder.refresh_from_db()
    assert holder.abroad_access_granted_at is not None and holder.abroad_access_until is None
