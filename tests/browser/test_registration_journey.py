import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from opencpf.accounts.models import Holder
from opencpf.accounts.nir import nir_key
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIR_BODY = "2920169123077"


def test_holder_creates_account_and_confirms_email(page):
    page.goto("/")
    page.get_by_role("link", name=re.compile("Créer mon compte|Create my account")).first.click()
    page.wait_for_url("**/compte/inscription/")
    page.fill("#id_nir", NIR_BODY + nir_key(NIR_BODY))
    page.fill("#id_last_name", "Moreau")
    page.fill("#id_first_names", "Léa")
    page.fill("#id_birth_date_day", "8")
    page.fill("#id_birth_date_month", "1")
    page.fill("#id_birth_date_year", "1992")
    page.fill("#id_email", "lea.moreau@example.fr")
    page.fill("#id_phone", "0611223344")
    page.fill("#id_address_line1", "5 quai Saint-Vincent")
    page.fill("#id_postal_code", "69001")
    page.fill("#id_city", "Lyon")
    page.select_option("#id_status", "employee")
    page.fill("#id_password", "Un-Bon-Mot-De-Passe-9")
    page.locator("#content form button[type=submit]").click()
    page.wait_for_url("**/compte/confirmer-email/")

    assert Holder.objects.filter(nir=NIR_BODY + nir_key(NIR_BODY)).exists()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_url("**/mon-compte/")
    assert Holder.objects.get().user.email_verified_at is not None


def test_registration_errors_are_shown_next_to_the_fields(page):
    page.goto("/compte/inscription/")
    page.fill("#id_nir", "123")
    page.fill("#id_password", "court")
    page.check("#id_password-show", force=True)  # the DSFR toggle shows what was typed
    assert page.locator("#id_password").get_attribute("type") == "text"
    page.locator("#content form button[type=submit]").click()
    assert page.locator("#id_nir-desc-error, .fr-error-text").first.is_visible()
    # The error summary comes first, has the focus, and the title starts with the count of errors.
    # (its deferred script may run just after the error texts show: Playwright's assertion waits up to 5 s for it;
    # wait_for_function would evaluate a string, which the page's CSP rightly refuses)
    expect(page.locator("#error-summary")).to_be_focused(timeout=5_000)
    assert re.match(r"\d+ erreurs? — |\d+ errors? — ", page.title())
    assert not Holder.objects.exists()


@pytest.mark.parametrize("path", ["/", "/compte/inscription/", "/compte/connexion/", "/accessibilite/"])
def test_public_pages_have_no_serious_accessibility_violation(page, path):
    page.goto(path)
    assert axe_violations(page) == []
