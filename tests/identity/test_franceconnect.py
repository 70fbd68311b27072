"""FranceConnect end to end (DESIGN §2.5): the Django test client and the real local OpenID Connect provider (npm
`oidc-provider`, scripts/oidc_provider/server.mjs), its sign-in page driven over HTTP as a person would.

A signed-in holder verifies their identity (eidas2 → verified, eidas1 → linked only); somebody signs in with the
linked identity; everything that can come back wrong is refused with a clear message and writes nothing."""

import datetime
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.core import mail
from django.urls import reverse

from opencpf.accounts.enums import IdentityLevel, IdentitySource
from opencpf.accounts.models import AuditEvent, Holder, SignInEvent
from opencpf.identity.models import FederationLink
from tests.accounts.factories import make_nir
from tests.accounts.helpers import last_code_emailed_to
from tests.oidc_provider import (
    CALLBACK_PATH,
    CLIENT_ID,
    CLIENT_SECRET,
    IDENTITIES,
    holder_of,
    running_provider,
    sign_in_at_provider,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

VERIFY = "/compte/identite/franceconnect/"
SIGN_IN = "/compte/identite/franceconnect/connexion/"


@pytest.fixture(scope="module")
def provider():
    with running_provider(redirect_uris=[f"http://testserver{CALLBACK_PATH}"]) as running:
        yield running


@pytest.fixture
def franceconnect(settings, provider):
    settings.OPENCPF_FRANCECONNECT_ISSUER = provider.issuer
    settings.OPENCPF_FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.OPENCPF_FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
    yield provider
    provider.advance_clock(0)


def start(client, url: str = VERIFY) -> str:
    response = client.get(url)
    assert response.status_code == 302, response
    return response.url


def tampered(url: str, **params) -> str:
    """The authorization request as an attacker (or a broken proxy) would change it."""
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | params
    return urlunsplit(parts._replace(query=urlencode(query)))


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def refused(response, reason: str) -> str:
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert 'data-testid="franceconnect-refused"' in page
    assert AuditEvent.objects.filter(action="franceconnect_refused", details__reason=reason).exists()
    return page


def nothing_written(holder: Holder) -> None:
    holder.refresh_from_db()
    assert holder.identity_level == IdentityLevel.BASIC and holder.identity_source == ""
    assert not FederationLink.objects.exists()


# --- the button ------------------------------------------------------------------------------------------------


def test_the_button_is_hidden_and_the_flow_closed_when_franceconnect_is_not_configured(client, settings):
    settings.OPENCPF_FRANCECONNECT_ISSUER = ""
    assert 'data-testid="franceconnect"' not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(SIGN_IN).status_code == 404
    client.force_login(holder_of("camille").user)
    assert 'data-testid="franceconnect"' not in client.get(reverse("www:dashboard")).content.decode()
    assert client.get(VERIFY).status_code == 404


def test_the_button_is_on_the_sign_in_page_the_dashboard_and_the_identity_page(client, franceconnect):
    assert f'href="{SIGN_IN}"' in client.get(reverse("accounts:login")).content.decode()
    client.force_login(holder_of("camille").user)
    for page in (reverse("www:dashboard"), reverse("identity:check")):
        assert f'href="{VERIFY}"' in client.get(page).content.decode()


# --- a signed-in holder verifies their identity -----------------------------------------------------------------


def test_a_matching_identity_at_eidas2_verifies_the_holder_and_links_the_account(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    authorization = start(client)
    query = parse_qs(urlsplit(authorization).query)
    assert authorization.startswith(franceconnect.issuer)
    assert query["acr_values"] == ["eidas2"] and query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"] and "birthplace" in query["scope"][0]

    response = client.get(callback_path(sign_in_at_provider(authorization, identity="camille", acr="eidas2")))

    assert response.status_code == 302 and response.url == reverse("identity:check")
    holder.refresh_from_db()
    assert holder.identity_level == IdentityLevel.VERIFIED
    assert holder.identity_source == IdentitySource.FRANCECONNECT
    link = FederationLink.objects.get(holder=holder)
    assert (link.issuer, link.sub, link.acr) == (franceconnect.issuer, IDENTITIES["camille"]["sub"], "eidas2")
    assert AuditEvent.objects.filter(action="franceconnect_linked", details__verified=True).exists()
    page = client.get(response.url).content.decode()
    assert "FranceConnect+ confirmed your identity" in page and 'data-testid="franceconnect-linked"' in page


def test_accents_case_and_a_second_first_name_still_match(client, franceconnect):
    # FranceConnect lists every first name; the account has "Sam" and writes the name in capitals with an accent.
    holder = holder_of("sam", last_name="BERNÂRD", first_names="sam")
    client.force_login(holder.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity="sam")))
    holder.refresh_from_db()
    assert holder.identity_level == IdentityLevel.VERIFIED


def test_a_holder_born_abroad_matches_on_the_country_in_the_nir(client, franceconnect):
    holder = holder_of("amina")
    assert holder.nir[5:10] == "99350"
    client.force_login(holder.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity="amina")))
    holder.refresh_from_db()
    assert holder.identity_source == IdentitySource.FRANCECONNECT


def test_eidas1_links_the_account_but_leaves_the_identity_basic(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    response = client.get(callback_path(sign_in_at_provider(start(client), identity="camille", acr="eidas1")))
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.identity_level == IdentityLevel.BASIC
    assert FederationLink.objects.get(holder=holder).acr == "eidas1"
    assert "FranceConnect+ (a substantial level of assurance)" in client.get(response.url).content.decode()


def test_a_mismatching_identity_is_refused_with_what_differs_and_nothing_is_written(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    # Another Camille Martin, born a day later in Lyon: same names, not the same person.
    response = client.get(callback_path(sign_in_at_provider(start(client), identity="camille-homonyme")))
    page = refused(response, "mismatch")
    assert "What differs: birth date, place of birth." in page
    nothing_written(holder)
    audit = AuditEvent.objects.get(action="franceconnect_refused")
    assert audit.actor == holder.user and audit.details["points"] == ["birthdate", "birthplace"]
    assert "Martin" not in str(audit.details)  # no personal data in the audit


def test_an_identity_linked_to_another_account_is_refused(client, franceconnect):
    first = holder_of("camille")
    client.force_login(first.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity="camille")))
    twin = holder_of("camille", nir=make_nir(datetime.date(1985, 5, 14), 124, sex="1", place="75056"))
    client.force_login(twin.user)
    refused(client.get(callback_path(sign_in_at_provider(start(client), identity="camille"))), "taken")
    twin.refresh_from_db()
    assert twin.identity_level == IdentityLevel.BASIC and FederationLink.objects.get().holder == first


def test_the_holder_can_stop_signing_in_with_franceconnect(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity="camille", acr="eidas1")))
    response = client.post(reverse("identity:franceconnect_unlink"))
    assert response.status_code == 302 and not FederationLink.objects.exists()


# --- signing in with FranceConnect ------------------------------------------------------------------------------


def test_signing_in_with_a_linked_identity_goes_through_the_new_device_code(
    client, franceconnect, django_capture_on_commit_callbacks
):
    holder = holder_of("camille")
    client.force_login(holder.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity="camille", acr="eidas1")))
    client.logout()
    mail.outbox = []

    authorization = start(client, SIGN_IN)
    assert parse_qs(urlsplit(authorization).query)["acr_values"] == ["eidas1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(callback_path(sign_in_at_provider(authorization, identity="camille", acr="eidas1")))
    # FranceConnect replaces the password, not the rest: this browser is new, so the emailed code is asked.
    assert response.status_code == 302 and response.url == reverse("accounts:login_code")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:login_code"), {"code": last_code_emailed_to(holder.user.email)})
    assert response.status_code == 302 and response.url == reverse("www:dashboard")
    assert client.get(reverse("www:dashboard")).context["user"] == holder.user
    assert SignInEvent.objects.filter(user=holder.user, outcome="success").exists()
    assert AuditEvent.objects.filter(action="franceconnect_sign_in", actor=holder.user).exists()


def linked_then_signed_out(client, identity: str = "camille") -> Holder:
    holder = holder_of(identity)
    client.force_login(holder.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity=identity, acr="eidas1")))
    client.logout()
    return holder


def test_franceconnect_does_not_walk_around_a_locked_account(client, franceconnect):
    from opencpf.accounts.lockouts import account_key, count_failure

    holder = linked_then_signed_out(client)
    for _attempt in range(5):  # five wrong passwords lock the account, whatever the way in
        count_failure(id_key=account_key(holder.user), client_ip="203.0.113.9")
    response = client.get(callback_path(sign_in_at_provider(start(client, SIGN_IN), identity="camille")))
    assert response.status_code == 400 and "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=holder.user, outcome="throttled").exists()


def test_franceconnect_still_asks_the_authenticator_code(client, franceconnect):
    from opencpf.accounts.agents import totp_for

    holder = linked_then_signed_out(client)
    totp_for(holder.user, None)
    response = client.get(callback_path(sign_in_at_provider(start(client, SIGN_IN), identity="camille")))
    assert response.status_code == 302 and response.url == reverse("accounts:login_code")
    assert "authenticator" in client.get(response.url).content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_with_an_identity_linked_to_no_account_is_refused(client, franceconnect):
    holder_of("camille")
    response = client.get(callback_path(sign_in_at_provider(start(client, SIGN_IN), identity="camille")))
    assert "No account is linked to this FranceConnect identity" in refused(response, "not_linked")
    assert "_auth_user_id" not in client.session


def test_signing_in_is_refused_when_the_linked_account_no_longer_matches(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    client.get(callback_path(sign_in_at_provider(start(client), identity="camille", acr="eidas1")))
    client.logout()
    Holder.objects.filter(pk=holder.pk).update(first_names="Dominique")  # e.g. corrected by an agent since
    response = client.get(callback_path(sign_in_at_provider(start(client, SIGN_IN), identity="camille")))
    assert "What differs: first names." in refused(response, "mismatch")
    assert "_auth_user_id" not in client.session


# --- bad answers ------------------------------------------------------------------------------------------------


def test_a_forged_state_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    callback = sign_in_at_provider(start(client), identity="camille")
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | {"state": "forged"}
    refused(client.get(f"{parts.path}?{urlencode(query)}"), "state")
    nothing_written(holder)


def test_an_answer_for_another_browser_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    callback = sign_in_at_provider(start(client), identity="camille")
    from django.test import Client

    other = Client()
    other.force_login(holder.user)  # the same account in another browser: the flow was not started there
    refused(other.get(callback_path(callback)), "state")
    nothing_written(holder)


def test_a_replayed_answer_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    callback = callback_path(sign_in_at_provider(start(client), identity="camille", acr="eidas1"))
    assert client.get(callback).status_code == 302
    FederationLink.objects.all().delete()
    refused(client.get(callback), "state")
    assert not FederationLink.objects.exists()


def test_a_code_injected_into_another_flow_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    stolen = parse_qs(urlsplit(sign_in_at_provider(start(client), identity="camille")).query)["code"][0]
    state = parse_qs(urlsplit(start(client)).query)["state"][0]  # a flow of this browser, with its own PKCE
    refused(client.get(CALLBACK_PATH, {"state": state, "code": stolen}), "code")
    nothing_written(holder)


def test_an_expired_code_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    callback = callback_path(sign_in_at_provider(start(client), identity="camille"))
    franceconnect.advance_clock(120)  # the provider's codes live 60 seconds
    refused(client.get(callback), "code")
    nothing_written(holder)


def test_a_wrong_nonce_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    # The authorization request reached the provider with another nonce: the ID token carries that one.
    authorization = tampered(start(client), nonce="not-the-one-in-this-session")
    refused(client.get(callback_path(sign_in_at_provider(authorization, identity="camille"))), "token")
    nothing_written(holder)


def test_missing_claims_are_refused_and_named(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    authorization = tampered(start(client), scope="openid given_name family_name gender birthcountry")
    page = refused(client.get(callback_path(sign_in_at_provider(authorization, identity="camille"))), "claims")
    assert "birthdate" in page and "birthplace" in page
    nothing_written(holder)


def test_the_person_cancelling_at_franceconnect_is_told_so(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    callback = sign_in_at_provider(start(client), identity="camille", action="cancel")
    assert "error=access_denied" in callback
    assert "was cancelled" in refused(client.get(callback_path(callback)), "cancelled")
    nothing_written(holder)


def test_a_provider_error_is_refused(client, franceconnect):
    holder = holder_of("camille")
    client.force_login(holder.user)
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(CALLBACK_PATH, {"state": state, "error": "server_error", "error_description": "down"})
    assert "FranceConnect refused the sign-in" in refused(response, "provider_error")
    nothing_written(holder)


@pytest.mark.parametrize(
    "query",
    [
        {"state": "a\x00b", "code": "x"},
        {"state": "s" * 100_000, "code": "c" * 100_000},
        {"code": "only-a-code"},
        {},
    ],
)
def test_garbage_on_the_callback_is_refused_without_error(client, franceconnect, query):
    holder = holder_of("camille")
    client.force_login(holder.user)
    start(client)
    refused(client.get(CALLBACK_PATH, query), "state")
    nothing_written(holder)


# --- who may open what ------------------------------------------------------------------------------------------


def test_authorization_matrix(franceconnect):
    from django.test import Client

    from tests.accounts.factories import UserFactory
    from tests.scams.helpers import agent_sign_in, make_agent

    web = {"anonymous": Client(), "holder": Client(), "staff": Client(), "agent": Client()}
    web["holder"].force_login(holder_of("camille").user)
    web["staff"].force_login(UserFactory(organisation_staff=True))
    agent_sign_in(web["agent"], make_agent())
    provider, login, dashboard = franceconnect.issuer, "/compte/connexion/", "/mon-compte/"
    # (method, path) → (status, where a redirect goes) for anonymous, a holder, an organisation's staff, an agent.
    expected = {
        ("get", VERIFY): [(302, login), (302, provider), (404, None), (404, None)],
        ("get", SIGN_IN): [(302, provider), (302, dashboard), (302, dashboard), (302, dashboard)],
        ("get", CALLBACK_PATH): [(400, None)] * 4,
        ("post", "/compte/identite/franceconnect/delier/"): [(302, login), (302, "/compte/identite/"), (404, None)]
        + [(404, None)],
        ("get", "/compte/identite/franceconnect/delier/"): [(405, None)] * 4,
    }
    seen = {}
    for (method, path), _answers in expected.items():
        row = []
        for actor in ("anonymous", "holder", "staff", "agent"):
            response = getattr(web[actor], method)(path)
            where = response.url.split("?")[0] if response.status_code == 302 else None
            if where and where.startswith(provider):
                where = provider
            row.append((response.status_code, where))
        seen[(method, path)] = row
    assert seen == expected


def test_an_unreachable_provider_is_said_so(client, settings):
    settings.OPENCPF_FRANCECONNECT_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.OPENCPF_FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.OPENCPF_FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
    holder = holder_of("camille")
    client.force_login(holder.user)
    response = client.get(VERIFY)
    assert response.status_code == 503 and "cannot be reached" in response.content.decode()
    nothing_written(holder)
