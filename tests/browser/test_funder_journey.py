"""In chromium: an employer signs in to its funder space and credits an earmarked supplement; the holder, whose
rights fall short, opens the acceptance page and accepts with the earmarked money used first (and nothing to pay:
the employer's money waives the flat contribution)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from opencpf.dossiers import services as dossier_services
from opencpf.dossiers.enums import ContributionExemption, DossierState
from opencpf.dossiers.models import Dossier
from opencpf.rights.enums import Bucket
from opencpf.rights.models import Engagement
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser.conftest import axe_violations
from tests.dossiers.factories import make_world
from tests.funders.factories import funder_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("#content form button[type=submit]").click()
    page.wait_for_selector("#id_code")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#id_code", code)
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_url("**/mon-compte/")


def test_an_employer_credits_an_earmarked_supplement_that_the_holder_uses_first(browser, live_server):
    today = timezone.localdate()
    world = make_world(
        price="1000.00",
        acquired="700.00",
        start=(today + datetime.timedelta(days=60)).isoformat(),
        end=(today + datetime.timedelta(days=64)).isoformat(),
    )
    dossier = dossier_services.dossier_register(user=world.user, session_id=world.session.pk)
    dossier_services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1000.00")
    employer = funder_user()
    code = world.offer.certification.code

    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, employer.email)
    page.goto("/financeur/credits/nouveau/")
    page.fill("#id_nir", world.holder.nir)
    page.fill("#id_last_name", world.holder.last_name)
    page.fill("#id_amount", "400,00")
    page.fill("#id_earmark_certifications", code)
    page.locator("#content form button[type=submit]").click()
    page.wait_for_url("**/financeur/")
    assert "400,00" in page.locator("#content").inner_text()
    assert axe_violations(page) == []
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, world.holder.nir)
    page.goto(f"/dossiers/{dossier.pk}/accepter/")
    rows = page.locator("#content table tbody tr").all_inner_texts()
    assert employer.funder_member.organisation.name in rows[0]  # the earmarked supplement comes first
    assert axe_violations(page) == []
    page.locator("#content form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/dossiers/\d+/$"))
    context.close()

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.CONFIRMED
    assert dossier.contribution_exemption == ContributionExemption.EMPLOYER_COFUNDED
    parts = [(p.bucket, p.amount) for p in Engagement.objects.filter(dossier_id=dossier.pk).order_by("id")]
    assert parts == [(Bucket.TOP_UP, Decimal("400.00")), (Bucket.ACQUIRED, Decimal("600.00"))]
