"""Issue 10's journeys in Debian's chromium, the emails read from a real SMTP server (aiosmtpd):
(a) a squatter opens an account with someone's NIR; the real holder, told "an account already exists", proves who
they are ("this is my number"); an agent approves in /gestion/; the squatter is signed out, their unpaid file frozen,
and the holder chooses a password and signs in. (The holder abroad: test_abroad_journey.py, on the served app.)"""

import re
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.services import dossier_register
from opencpf.identity.models import IdentityCheck
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.helpers import code_in, totp_code
from tests.accounts.test_smtp import plain_text, smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.browser.conftest import axe_violations
from tests.catalogue.factories import OfferFactory, SessionFactory
from tests.identity.conftest import PNG
from tests.scams.helpers import make_agent

pytestmark = [pytest.mark.browser, pytest.mark.smtp, pytest.mark.django_db(transaction=True)]

NIR_BODY = "2920169123077"
NIR = NIR_BODY + nir_key(NIR_BODY)
NEW_PASSWORD = "Mon-Vrai-Compte-2026!"


def mail_to(mailbox, address: str, containing: str) -> str:
    """The text of the latest message to `address` that contains `containing` (waits for it a little)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in reversed(mailbox.messages):
            if address in message["X-Envelope-To"] and containing in (text := plain_text(message)):
                return text
        time.sleep(0.05)
    raise AssertionError(f"no message to {address} containing {containing!r}")


def mail_after(mailbox, address: str, count: int) -> str:
    """The text of the first message to `address` among those received after the first `count`."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in mailbox.messages[count:]:
            if address in message["X-Envelope-To"]:
                return plain_text(message)
        time.sleep(0.05)
    raise AssertionError(f"no new message to {address}")


def submit(page) -> None:
    page.locator("#content form button[type=submit]").first.click()


def fill_registration(page, email: str) -> None:
    page.goto("/compte/inscription/")
    page.fill("#id_nir", NIR)
    page.fill("#id_last_name", "Moreau")
    page.fill("#id_first_names", "Léa")
    page.fill("#id_birth_date_day", "8")
    page.fill("#id_birth_date_month", "1")
    page.fill("#id_birth_date_year", "1992")
    page.fill("#id_email", email)
    page.fill("#id_phone", "0611223344")
    page.fill("#id_address_line1", "5 quai Saint-Vincent")
    page.fill("#id_postal_code", "69001")
    page.fill("#id_city", "Lyon")
    page.select_option("#id_status", "employee")
    page.fill("#id_password", "Un-Bon-Mot-De-Passe-9")
    submit(page)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page)


def agent_page(browser, live_server):
    """An agent signed in through the one sign-in: password, then the authenticator's code."""
    agent = make_agent()
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, agent.email, DEFAULT_PASSWORD)
    page.wait_for_url("**/compte/connexion/code/")
    page.fill("#id_code", totp_code(TOTPDevice.objects.get(user=agent, confirmed=True)))
    submit(page)
    page.wait_for_url(re.compile(r".*/(gestion|mon-compte)/.*"))
    return page


def test_a_squatter_is_put_out_when_the_real_holder_recovers_the_account(
    browser,
    live_server,
    page,
    smtp_server,  # noqa: F811
    settings,
):
    settings.OPENCPF_SITE_URL = live_server.url  # the links in the emails lead to this server
    session = SessionFactory(offer=OfferFactory(title="Anglais professionnel"), where=("69003", "Lyon"))

    # The squatter opens the account with Léa's NIR, confirms the email and asks for a training.
    squatter = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    fill_registration(squatter, "squat@example.net")
    squatter.wait_for_url("**/compte/confirmer-email/")
    squatter.fill("#id_code", code_in(mail_after(smtp_server, "squat@example.net", 0)))
    submit(squatter)
    squatter.wait_for_url("**/mon-compte/")
    account = User.objects.get(email="squat@example.net")
    dossier = dossier_register(user=account, session_id=session.pk)

    # Léa tries to register: an account exists, nothing else is said; "this is my number".
    fill_registration(page, "lea.moreau@example.fr")
    alert = page.get_by_test_id("nir-taken")
    alert.wait_for()
    assert "squat@example.net" not in page.content()
    assert axe_violations(page) == []
    alert.locator("a[href='/compte/identite/mon-numero/']").click()
    page.wait_for_url("**/compte/identite/mon-numero/")
    assert page.input_value("#id_email") == "lea.moreau@example.fr"  # what she typed
    assert page.input_value("#id_nir") == NIR
    page.locator("input[name=document_kind][value=id_card]").check(force=True)
    page.set_input_files("#id_document", files=[{"name": "cni.png", "mimeType": "image/png", "buffer": PNG}])
    submit(page)
    page.wait_for_url("**/compte/identite/envoyee/")
    check = IdentityCheck.objects.get()
    assert check.reference in page.content()
    assert check.reference in mail_to(smtp_server, "lea.moreau@example.fr", check.reference)

    # An agent opens the queue, the check, the document, and approves.
    agent = agent_page(browser, live_server)
    agent.goto("/gestion/identites/")
    assert "72" in agent.get_by_test_id("review-target").inner_text()
    agent.get_by_role("link", name=check.reference).click()
    agent.wait_for_url(f"**/gestion/identites/{check.pk}/")
    assert "lea.moreau@example.fr" in agent.content()
    agent.get_by_test_id("review-approve").click()
    agent.wait_for_url(f"**/gestion/identites/{check.pk}/")
    assert IdentityCheck.objects.get().status == "approved"

    # The squatter is out: signed out everywhere, the unpaid file frozen, told at the old address.
    squatter.goto("/mon-compte/")
    squatter.wait_for_url("**/compte/connexion/**")
    assert Dossier.objects.get(pk=dossier.pk).frozen_at is not None
    assert check.reference in mail_to(smtp_server, "squat@example.net", check.reference)

    # Léa chooses her password from the link sent to her address, then signs in with the new-device code.
    text = mail_to(smtp_server, "lea.moreau@example.fr", "/compte/")
    link = re.search(r"https?://\S+/compte/\S+", text).group(0)
    page.goto(link)
    page.wait_for_selector("#id_new_password1")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    submit(page)
    page.wait_for_url(re.compile(r".*/compte/.*"))
    count = len(smtp_server.messages)
    sign_in(page, NIR, NEW_PASSWORD)
    page.wait_for_selector("#id_code")
    page.fill("#id_code", code_in(mail_after(smtp_server, "lea.moreau@example.fr", count)))
    submit(page)
    page.wait_for_url("**/mon-compte/")
    holder = Holder.objects.get(nir=NIR)
    assert holder.user.email == "lea.moreau@example.fr" and holder.identity_verified
    squatter.context.close()
    agent.context.close()
