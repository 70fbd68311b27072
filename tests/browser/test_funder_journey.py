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


def sign_in_as(browser, live_server, username, email):
    """A fresh browser signs in; the 6-digit code is read from the last email sent to `email`."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/compte/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("#content form button[type=submit]").click()
    page.wait_for_selector("#id_code")
    (last,) = [message for message in mail.outbox if email in message.to][-1:]
    page.fill("#id_code", re.search(r"\b(\d{6})\b", last.body).group(1))
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_url("**/mon-compte/")
    return context, page


def test_employer_credit_advisor_appointment_then_registration_uses_the_earmarked_money_first(browser, live_server):
    """Issue 11's journey: an employer credits an earmarked supplement; the holder finds an advisor near home and
    asks for an appointment; the advisor proposes a slot; the holder registers for the training and accepts it,
    the earmarked money first in the funding table and in the ledger, then the region's expiring credit, then
    the acquired rights."""
    from opencpf.advisors.enums import AppointmentStatus, Network
    from opencpf.advisors.models import Appointment
    from opencpf.funders import services as funder_services
    from opencpf.rights.enums import MovementKind
    from opencpf.rights.models import LedgerEntry, RightsAccount
    from opencpf.rights.reconciliation import ledger_reconciliation
    from tests.advisors.factories import make_advisor, make_site
    from tests.funders.factories import FunderOrganisationFactory

    today = timezone.localdate()
    world = make_world(
        price="1000.00",
        acquired="700.00",
        start=(today + datetime.timedelta(days=60)).isoformat(),
        end=(today + datetime.timedelta(days=64)).isoformat(),
    )
    holder = world.holder  # lives in Lyon (69001)
    region = FunderOrganisationFactory(region=True)
    funder_services.credit_add(  # plain money that expires: after the earmarked one, before acquired rights
        organisation=region,
        user=None,
        nir=holder.nir,
        last_name=holder.last_name,
        amount="200.00",
        expires_on=today + datetime.timedelta(days=120),
    )
    site = make_site("69002", networks=(Network.REGIONAL_OPERATOR,), name="CEP Lyon Presqu'île")
    make_site("13001", networks=(Network.REGIONAL_OPERATOR,), name="CEP Marseille")
    advisor = make_advisor(site)
    employer = funder_user(FunderOrganisationFactory(name="Boulangerie Dupain"))

    # The employer credits 300 € earmarked for the training's certification.
    context, page = sign_in_as(browser, live_server, employer.email, employer.email)
    page.goto("/financeur/credits/nouveau/")
    page.fill("#id_nir", holder.nir)
    page.fill("#id_last_name", holder.last_name)
    page.fill("#id_amount", "300,00")
    page.fill("#id_earmark_certifications", world.offer.certification.code)
    page.locator("#content form button[type=submit]").click()
    page.wait_for_url("**/financeur/")
    context.close()

    # The holder finds the advisor near home (their own address and situation by default) and asks.
    holder_context, page = sign_in_as(browser, live_server, holder.nir, holder.user.email)
    page.goto("/conseillers/")
    results = page.locator("#content").inner_text()
    assert "CEP Lyon Presqu'île" in results and "CEP Marseille" not in results
    page.locator(f"a[href*='/conseillers/sites/{site.pk}/rendez-vous/']").click()
    page.select_option("#id_subject", "training")
    page.locator("input[name=mode][value=in_person]").check(force=True)
    page.fill("#id_slot1_date", (today + datetime.timedelta(days=3)).isoformat())
    page.select_option("#id_slot1_half_day", "morning")
    page.fill("#id_slot2_date", (today + datetime.timedelta(days=4)).isoformat())
    page.select_option("#id_slot2_half_day", "afternoon")
    page.locator("#content form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/conseillers/mes-rendez-vous/\d+/$"))
    appointment = Appointment.objects.get(holder=holder)
    assert axe_violations(page) == []

    # The advisor proposes a slot.
    context, advisor_page = sign_in_as(browser, live_server, advisor.email, advisor.email)
    advisor_page.goto("/conseiller/")
    advisor_page.locator(f"a[href='/conseiller/{appointment.pk}/']").click()
    advisor_page.fill("#id_day", (today + datetime.timedelta(days=3)).isoformat())
    advisor_page.fill("#id_time", "10:30")
    advisor_page.locator(f"form[action$='/conseiller/{appointment.pk}/propose/'] button[type=submit]").click()
    advisor_page.wait_for_url(f"**/conseiller/{appointment.pk}/")
    assert axe_violations(advisor_page) == []
    context.close()
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.PROPOSED
    page.goto(f"/conseillers/mes-rendez-vous/{appointment.pk}/")
    assert "10:30" in page.locator("#content").inner_text()

    # The holder registers; the organisation proposes; the holder accepts.
    page.goto(f"/catalogue/offres/{world.offer.pk}/")
    page.locator(f"a[href='/dossiers/inscription/{world.session.pk}/']").click()
    page.locator("#content form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/dossiers/\d+/$"))
    dossier = Dossier.objects.get(holder=holder)
    dossier_services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1000.00")
    page.goto(f"/dossiers/{dossier.pk}/accepter/")
    rows = page.locator("#content table tbody tr").all_inner_texts()
    assert "Boulangerie Dupain" in rows[0] and "300,00" in rows[0]  # earmarked for this training: first
    assert region.name in rows[1] and "200,00" in rows[1]  # then the soonest to expire
    assert "500,00" in rows[2]  # then the acquired rights
    assert axe_violations(page) == []
    page.locator("#content form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/dossiers/\d+/$"))
    holder_context.close()

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == DossierState.CONFIRMED
    engaged = LedgerEntry.objects.filter(dossier_id=dossier.pk, kind=MovementKind.ENGAGEMENT).order_by("id")
    assert [(row.bucket, row.top_up.funder_name if row.top_up else "", row.amount) for row in engaged] == [
        (Bucket.TOP_UP, "Boulangerie Dupain", Decimal("-300.00")),
        (Bucket.TOP_UP, region.name, Decimal("-200.00")),
        (Bucket.ACQUIRED, "", Decimal("-500.00")),
    ]
    account = RightsAccount.objects.get(pk=holder.pk)
    assert (account.acquired, account.top_ups) == (Decimal("200.00"), Decimal("0.00"))
    assert ledger_reconciliation(start=today, end=today + datetime.timedelta(days=1), holder_id=holder.pk).balanced
