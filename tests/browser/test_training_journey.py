import re

import pytest
from django.core import mail

from opencpf.catalogue import search_index
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.browser.conftest import axe_violations
from tests.catalogue.factories import OfferFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_holder_finds_a_training_and_registers(page):
    holder = HolderFactory(user__email="lea@example.fr")
    offer = OfferFactory(title="Anglais professionnel — préparation au TOEIC")
    OfferFactory(title="Cariste — CACES R489")
    SessionFactory(offer=offer, where=("69003", "Lyon"))
    search_index.rebuild()

    # Sign in: a browser never seen before gets a 6-digit code by email first.
    page.goto("/compte/connexion/")
    page.fill("#id_username", holder.nir)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("#content form button[type=submit]").click()
    page.wait_for_selector("#id_code")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_url("**/mon-compte/")

    # Search: htmx replaces the results and puts the filters in the address bar.
    page.goto("/catalogue/")
    page.fill("#id_q", "anglais")
    page.locator("#content form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*q=anglais.*"))
    results = page.locator("#search-results")
    results.get_by_text("Anglais professionnel").wait_for()
    assert "Cariste" not in results.inner_text()
    assert axe_violations(page) == []

    results.get_by_role("link", name=re.compile("Anglais professionnel")).click()
    page.wait_for_url(f"**/catalogue/**{offer.pk}**")
    assert axe_violations(page) == []
    page.locator("#content a[href*='/dossiers/inscription/']").first.click()  # not the menu's "My files"
    page.locator("#content form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/dossiers/\d+/$"))

    dossier = Dossier.objects.get(holder=holder)
    assert dossier.state == DossierState.SUBMITTED
    page.goto("/dossiers/")
    assert "Anglais professionnel" in page.locator("#content").inner_text()
    assert axe_violations(page) == []
