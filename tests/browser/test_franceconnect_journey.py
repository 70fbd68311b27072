"""FranceConnect in Debian's chromium against the real local provider (scripts/oidc_provider/server.mjs): a holder
verifies their identity from the dashboard, then signs in with FranceConnect (keyboard only); another identity is
refused (mouse). On pytest's live_server: the provider is started per test with the server's callback address."""

import re

import pytest
from django.core import mail

from opencpf.accounts.enums import IdentityLevel
from opencpf.identity.models import FederationLink
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser.conftest import axe_violations
from tests.browser.journeys import Person
from tests.oidc_provider import CALLBACK_PATH, CLIENT_ID, CLIENT_SECRET, holder_of, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def franceconnect(settings, live_server):
    with running_provider(redirect_uris=[f"{live_server.url}{CALLBACK_PATH}"]) as provider:
        settings.OPENCPF_FRANCECONNECT_ISSUER = provider.issuer
        settings.OPENCPF_FRANCECONNECT_CLIENT_ID = CLIENT_ID
        settings.OPENCPF_FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
        yield provider


def password_sign_in(page, holder):
    page.goto("/compte/connexion/")
    page.fill("#id_username", holder.user.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_selector("#id_code")
    page.fill("#id_code", re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1))
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_url("**/mon-compte/")


def at_provider(page, identity: str, acr: str, *, keyboard: bool = False):
    page.wait_for_url(re.compile(r".*/interaction/.*"))
    if not keyboard:
        page.check(f"input[name=identity][value={identity}]")
        page.check(f"input[name=acr][value={acr}]")
        page.get_by_role("button", name="Se connecter").click()
        return
    person = Person(page, keyboard=True, checks=False)  # the provider's page is not ours to check
    person.choose(f"input[name=identity][value={identity}]")
    person.choose(f"input[name=acr][value={acr}]")
    person.press(page.get_by_role("button", name="Se connecter"))


def test_a_holder_verifies_with_franceconnect_then_signs_in_with_it(page, franceconnect):
    """Keyboard only once the holder is signed in: the FranceConnect buttons, the provider's page, signing out."""
    holder = holder_of("camille")
    password_sign_in(page, holder)
    me = Person(page, keyboard=True, checks=False)  # axe-core runs below (this page is not on the served app)

    # The dashboard says what is missing; FranceConnect+ from there.
    me.press("[data-testid=identity-missing] .fr-connect")
    at_provider(page, "camille", "eidas2", keyboard=True)
    page.wait_for_url("**/compte/identite/")
    assert page.get_by_test_id("franceconnect-linked").is_visible()
    holder.refresh_from_db()
    assert holder.identity_level == IdentityLevel.VERIFIED and FederationLink.objects.filter(holder=holder).exists()
    assert axe_violations(page) == []

    # Signed out, the same browser signs in with FranceConnect: a known device, straight to the account.
    with page.expect_navigation():
        me.press("form[action='/compte/deconnexion/'] button")
    me.goto("/compte/connexion/")
    me.press(".fr-connect")
    at_provider(page, "camille", "eidas1", keyboard=True)
    page.wait_for_url("**/mon-compte/")
    assert page.get_by_test_id("identity-missing").count() == 0


def test_another_identity_is_refused_and_nothing_changes(page, franceconnect):
    holder = holder_of("camille")
    password_sign_in(page, holder)
    page.goto("/compte/identite/")
    page.locator(".fr-connect").click()
    at_provider(page, "camille-homonyme", "eidas2")
    refusal = page.get_by_test_id("franceconnect-refused")
    refusal.wait_for()
    assert re.search("date de naissance|birth date", refusal.inner_text())
    holder.refresh_from_db()
    assert holder.identity_level == IdentityLevel.BASIC and not FederationLink.objects.exists()
    assert axe_violations(page) == []
