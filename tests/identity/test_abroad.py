"""Holders abroad (DESIGN §2.7, §4.3), with real addresses from geoip2fast's data: French (90.0.0.1), EU (German
5.9.0.1), non-EU (American 8.8.8.8); with and without a grant, with and without a trusted proxy."""

import datetime
import ipaddress

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from opencpf.accounts.models import Holder, SignInEvent
from opencpf.accounts.services import api_token_create
from opencpf.identity import access
from opencpf.identity.models import AccessRequest
from opencpf.utils.client import client_info
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory, UserFactory
from tests.identity.conftest import ELF, PDF, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TOKEN = "/api/v1/auth/token"
FRENCH, GERMAN, AMERICAN = "90.0.0.1", "5.9.0.1", "8.8.8.8"
LIMIT = 5  # parameter abroad/daily_attempts in force


def spend_the_days_attempts(client, **address):
    for i in range(LIMIT):
        client.post(
            TOKEN, {"username": f"guess{i}@example.fr", "password": "x"}, content_type="application/json", **address
        )


def sign_in(client, holder, **address):
    return client.post(
        TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}, content_type="application/json", **address
    )


def test_every_attempt_gets_its_country(client):
    holder = HolderFactory()
    for ip, country in ((FRENCH, "FR"), (GERMAN, "DE"), (AMERICAN, "US")):
        sign_in(client, holder, REMOTE_ADDR=ip)
        assert SignInEvent.objects.filter(ip_address=ip).get().country == country


@pytest.mark.parametrize(("ip", "restricted"), [(FRENCH, False), (GERMAN, False), (AMERICAN, True)])
def test_past_the_daily_limit_only_addresses_outside_the_zone_are_refused(client, ip, restricted):
    holder = HolderFactory()
    assert sign_in(client, holder, REMOTE_ADDR=ip).json()["code"] == "device_code_required"
    spend_the_days_attempts(client, REMOTE_ADDR=ip)
    response = sign_in(client, holder, REMOTE_ADDR=ip)
    if restricted:
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "abroad_restricted" and body["access_request_url"].endswith(
            "/compte/identite/acces-etranger/"
        )
        assert "outside France and the European Union" in body["detail"]
    else:
        assert response.status_code == 401 and response.json()["code"] == "device_code_required"


def test_the_abroad_answer_comes_before_a_lock_and_on_the_web_too(client):
    holder = HolderFactory()
    for _i in range(LIMIT):  # five wrong passwords lock the account too
        client.post(
            TOKEN, {"username": holder.nir, "password": "x"}, content_type="application/json", REMOTE_ADDR=AMERICAN
        )
    assert sign_in(client, holder, REMOTE_ADDR=AMERICAN).json()["code"] == "abroad_restricted"
    page = client.post(
        "/compte/connexion/", {"username": holder.nir, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=AMERICAN
    )
    assert page.status_code == 403
    text = page.content.decode()
    assert 'data-testid="abroad-restricted"' in text and "/compte/identite/acces-etranger/" in text


def test_a_granted_holder_signs_in_from_abroad_while_others_on_the_address_stay_refused(
    client, django_capture_on_commit_callbacks
):
    abroad = HolderFactory(user__email="expat@example.fr", abroad=True)
    neighbour = HolderFactory()
    spend_the_days_attempts(client, REMOTE_ADDR=AMERICAN)
    assert sign_in(client, abroad, REMOTE_ADDR=AMERICAN).json()["code"] == "abroad_restricted"
    # The request, from the link of the refusal, without signing in.
    form = {
        "nir": abroad.nir,
        "birth_date": abroad.birth_date.isoformat(),
        "email": "expat@example.fr",
        "country": "CA",
        "reason": "Moved to Montréal",
        "phone": "+1 514 555 0123",
        "address": "1 rue Sainte-Catherine, Montréal",
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/access-requests", {**form, "proof": upload("bail.pdf", PDF)}, REMOTE_ADDR=AMERICAN
        )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending" and created.json()["reference"].startswith("ACC-")
    assert mail.outbox[-1].to == ["expat@example.fr"]
    duplicate = client.post(
        "/api/v1/access-requests", {**form, "proof": upload("bail.pdf", PDF)}, REMOTE_ADDR=AMERICAN
    )
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "already_pending"
    agent = UserFactory(agent=True)
    headers = {"Authorization": f"Bearer {api_token_create(user=agent)[0]}"}
    url = f"/api/v1/agent/access-requests/{created.json()['id']}/grant"
    assert (
        client.post(
            url,
            {},
            content_type="application/json",
            headers={"Authorization": f"Bearer {api_token_create(user=neighbour.user)[0]}"},
        ).status_code
        == 403
    )
    until = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        granted = client.post(url, {"until": until}, content_type="application/json", headers=headers)
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    assert "accordé" in mail.outbox[-1].body
    assert sign_in(client, abroad, REMOTE_ADDR=AMERICAN).json()["code"] == "device_code_required"
    assert sign_in(client, neighbour, REMOTE_ADDR=AMERICAN).json()["code"] == "abroad_restricted"
    # The grant ends on its date.
    Holder.objects.filter(pk=abroad.pk).update(abroad_access_until=timezone.localdate() - datetime.timedelta(days=1))
    assert sign_in(client, abroad, REMOTE_ADDR=AMERICAN).json()["code"] == "abroad_restricted"


def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(client, settings):
    holder = HolderFactory()
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": AMERICAN}
    # Without a trusted proxy, the peer is the client: a private address, of no country.
    settings.TRUSTED_PROXIES = []
    spend_the_days_attempts(client, **behind_proxy)
    assert sign_in(client, holder, **behind_proxy).json()["code"] == "device_code_required"
    assert SignInEvent.objects.filter(ip_address="10.0.0.2").exists()
    # Behind the trusted proxy, the real client is what the history, the country and the rule see.
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    spend_the_days_attempts(client, **behind_proxy)
    assert sign_in(client, holder, **behind_proxy).json()["code"] == "abroad_restricted"
    assert SignInEvent.objects.filter(ip_address=AMERICAN, country="US").count() == LIMIT + 1
    # A client writing a French address at the left of the header is not believed.
    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"{FRENCH}, {AMERICAN}"}
    assert sign_in(client, holder, **forged).json()["code"] == "abroad_restricted"


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "seen"),
    [
        ([], AMERICAN, FRENCH, AMERICAN),  # forged header from an untrusted peer: ignored
        (["127.0.0.1"], "127.0.0.1", AMERICAN, AMERICAN),  # `make run` trusts 127.0.0.1
        (["10.0.0.0/8"], "10.1.2.3", f"{FRENCH}, 10.0.0.9", FRENCH),  # proxies in the chain are skipped
        (["10.0.0.0/8"], "10.1.2.3", "not-an-address", "10.1.2.3"),
        (["10.0.0.0/8"], "10.1.2.3", "", "10.1.2.3"),
    ],
)
def test_client_address(settings, trusted, peer, forwarded, seen):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(item) for item in trusted]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_info(request).ip == seen


def test_access_requests_bad_input_closed_accounts_and_rate_limit(client):
    closed = HolderFactory(
        user__email="closed@example.fr", closed_on=datetime.date(2025, 1, 1), closure_reason="retirement"
    )
    form = {
        "nir": closed.nir,
        "birth_date": closed.birth_date.isoformat(),
        "email": "closed@example.fr",
        "country": "US",
        "reason": "Retired in Florida",
    }
    bad = client.post(
        "/api/v1/access-requests", {**form, "country": "ZZ", "proof": upload("x.pdf", ELF)}, REMOTE_ADDR=AMERICAN
    )
    assert bad.status_code == 400 and "country" in bad.json()["errors"]
    exe = client.post("/api/v1/access-requests", {**form, "proof": upload("x.pdf", ELF)}, REMOTE_ADDR=AMERICAN)
    assert exe.status_code == 400 and "proof" in exe.json()["errors"]
    assert not AccessRequest.objects.exists()
    created = client.post("/api/v1/access-requests", {**form, "proof": upload("x.pdf", PDF)}, REMOTE_ADDR=AMERICAN)
    agent = UserFactory(agent=True)
    headers = {"Authorization": f"Bearer {api_token_create(user=agent)[0]}"}
    refused = client.post(
        f"/api/v1/agent/access-requests/{created.json()['id']}/grant",
        {},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 409 and refused.json()["code"] == "closed"
    assert Holder.objects.get(pk=closed.pk).abroad_access_granted_at is None
    # Unknown identity: same 201; the agent cannot grant it and refuses it.
    others = [HolderFactory() for _i in range(3)]
    answers = [
        client.post(
            "/api/v1/access-requests",
            {**form, "nir": h.nir, "email": "someone@example.fr", "proof": upload("x.pdf", PDF)},
            REMOTE_ADDR=AMERICAN,
        )
        for h in others
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    nobody = answers[0].json()["id"]
    no_account = client.post(
        f"/api/v1/agent/access-requests/{nobody}/grant", {}, content_type="application/json", headers=headers
    )
    assert no_account.status_code == 409 and no_account.json()["code"] == "no_account"
    ok = client.post(
        f"/api/v1/agent/access-requests/{nobody}/refuse",
        {"reason": "Identité inconnue"},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 200 and ok.json()["status"] == "refused"


@pytest.mark.parametrize("proxy", [True, False], ids=["behind a trusted proxy", "direct, forged header"])
@pytest.mark.parametrize("granted", [True, False], ids=["granted", "not granted"])
@pytest.mark.parametrize(
    ("ip", "country"), [(FRENCH, "FR"), (GERMAN, "DE"), (AMERICAN, "US")], ids=["French", "EU", "non-EU"]
)
def test_real_addresses_with_and_without_a_grant_and_a_trusted_proxy(client, settings, ip, country, granted, proxy):
    """Past the day's attempts, only a non-EU address without a grant is refused; behind the trusted proxy the real
    client is the one in X-Forwarded-For; directly, a French address forged in the header changes nothing."""
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")] if proxy else []
    address = (
        {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": ip}
        if proxy
        else {
            "REMOTE_ADDR": ip,
            "HTTP_X_FORWARDED_FOR": FRENCH,
        }
    )
    holder = HolderFactory(abroad=True)
    if granted:
        request = access.access_request_file(
            nir=holder.nir,
            birth_date=holder.birth_date,
            email=holder.user.email,
            country="CA",
            reason="Posted worker",
            upload=upload("bail.pdf", PDF),
        )
        access.access_request_grant(request_id=request.pk, agent=UserFactory(agent=True))
    spend_the_days_attempts(client, **address)
    answer = sign_in(client, holder, **address).json()
    refused = ip == AMERICAN and not granted
    assert answer["code"] == ("abroad_restricted" if refused else "device_code_required")
    assert SignInEvent.objects.filter(ip_address=ip, country=country).count() == LIMIT + 1
