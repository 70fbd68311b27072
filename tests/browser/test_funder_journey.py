"""Advisors and funders, in a real browser against the served app (granian, PostgreSQL, real SMTP): an employer (the
demo funder) credits a supplement earmarked for a certification; the holder, whose rights fall short, finds the
advisor near home and asks for an appointment; the advisor proposes a slot; the holder registers, the organisation
proposes, and the holder accepts with the earmarked money used first, then the region's expiring credit, then the
acquired rights (and no flat contribution: the employer co-funds). Keyboard only, organisation, funder and advisor
included: the mouse steps of these pages are those of the holder's journey."""

import datetime
import re
import secrets

import pytest
from django.utils import timezone

from tests.browser.journeys import Person, assert_no_findings, sign_in

pytestmark = [pytest.mark.browser]

PASSWORD = "Un-Bon-Mot-De-Passe-9"
ADVISOR_SITE = "[Démo] Opérateur régional CEP Île-de-France"  # opencpf.advisors.demo: the Paris site


def weekday_after(days: int) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.mark.parametrize("keyboard", [True], ids=["keyboard"])
def test_earmarked_credit_advisor_appointment_then_the_earmarked_money_first(site, staff, new_page, keyboard):
    order = f"{secrets.randbelow(999) + 1:03d}"
    email = f"ines.finance.{order}@example.fr"
    start = site.query(
        "from tests.browser.data import holder_to_fund\n"
        f"result = holder_to_fund(email={email!r}, password={PASSWORD!r}, order={order!r}, offer_number='DEMO-EXCEL')"
    )

    # 1. The employer credits 300.00 € earmarked for the training's certification.
    funder = Person(staff.page("funder"), keyboard=keyboard)
    funder.goto("/financeur/")
    funder.check("funder — home")
    funder.goto("/financeur/credits/nouveau/")
    funder.check("funder — new credit")
    funder.fill("#id_nir", start["nir"])
    funder.fill("#id_last_name", start["last_name"])
    funder.fill("#id_amount", "300,00")
    funder.fill("#id_earmark_certifications", start["certification"])
    funder.submit()
    funder.page.wait_for_url("**/financeur/")

    # 2. The holder finds the advisor near home (their address and situation by default) and asks.
    me = Person(new_page(), keyboard=keyboard)
    page = me.page
    sign_in(me, site, email, PASSWORD)
    me.goto("/conseillers/")
    me.check("find an advisor")
    assert ADVISOR_SITE in page.locator("#content").inner_text()
    me.press(page.locator("#content .fr-card", has_text=ADVISOR_SITE).locator("a[href*='/rendez-vous/']").first)
    page.wait_for_url("**/conseillers/sites/*/rendez-vous/**")
    me.check("ask for an appointment")
    me.select("#id_subject", "training")
    me.choose("#content input[name=mode][value=in_person]")
    me.fill("#id_slot1_date", weekday_after(3).isoformat())
    me.select("#id_slot1_half_day", "morning")
    me.fill("#id_slot2_date", weekday_after(5).isoformat())
    me.select("#id_slot2_half_day", "afternoon")
    me.submit()
    page.wait_for_url(re.compile(r".*/conseillers/mes-rendez-vous/\d+/$"))
    me.check("my appointment — asked")
    appointment = int(re.search(r"/(\d+)/$", page.url).group(1))

    # 3. The advisor proposes a slot.
    advisor = Person(staff.page("advisor"), keyboard=keyboard)
    advisor.goto("/conseiller/")
    advisor.check("advisor — appointments")
    advisor.press(advisor.page.locator(f"#content a[href='/conseiller/{appointment}/']"))
    advisor.page.wait_for_url(f"**/conseiller/{appointment}/")
    advisor.check("advisor — an appointment")
    advisor.fill("#id_day", weekday_after(3).isoformat())
    advisor.fill("#id_time", "10:30")
    with advisor.page.expect_navigation():
        advisor.press(advisor.page.locator(f"form[action$='/conseiller/{appointment}/propose/'] button[type=submit]"))
    me.goto(f"/conseillers/mes-rendez-vous/{appointment}/")
    assert "10:30" in page.locator("#content").inner_text()
    me.check("my appointment — proposed")

    # 4. The holder registers; the organisation proposes.
    me.goto(f"/catalogue/offres/{start['offer']}/")
    me.press(page.locator(f"#content a[href$='/dossiers/inscription/{start['session']}/']"))
    page.wait_for_url(re.compile(r".*/dossiers/inscription/\d+/$"))
    me.submit()
    page.wait_for_url(re.compile(r".*/dossiers/\d+/$"))
    dossier_id = int(re.search(r"/dossiers/(\d+)/$", page.url).group(1))
    organisation = Person(staff.page("organisation"), keyboard=keyboard)
    organisation.goto(f"/dossiers/organisme/{dossier_id}/")
    with organisation.page.expect_navigation():
        organisation.press(organisation.page.locator("form[action$='/propose/'] button[type=submit]"))

    # 5. Accept: the earmarked money first, then the region's expiring credit, then the acquired rights.
    me.goto(f"/dossiers/{dossier_id}/accepter/")
    me.check("accept — with funders' money")
    rows = page.locator("#content table tbody tr").all_inner_texts()
    assert "Ateliers Démo SAS" in rows[0] and "300,00" in rows[0], rows
    assert start["region"] in rows[1] and "200,00" in rows[1], rows
    me.submit()
    page.wait_for_url(f"**/dossiers/{dossier_id}/")

    after = site.query(
        f"""
from opencpf.dossiers.models import Dossier
from opencpf.rights.enums import MovementKind
from opencpf.rights.models import LedgerEntry
dossier = Dossier.objects.get(pk={dossier_id})
engaged = LedgerEntry.objects.filter(dossier_id=dossier.pk, kind=MovementKind.ENGAGEMENT).order_by("id")
result = {{
    "state": dossier.state,
    "exemption": dossier.contribution_exemption,
    "engaged": [(e.bucket, e.top_up.funder_name if e.top_up else "", str(e.amount)) for e in engaged],
}}"""
    )
    assert after["state"] == "confirmed"
    assert after["exemption"] == "employer_cofunded"
    rest = f"-{int(start['price'].split('.')[0]) - 500}.00"
    assert after["engaged"] == [
        ["top_up", "Ateliers Démo SAS", "-300.00"],
        ["top_up", start["region"], "-200.00"],
        ["acquired", "", rest],
    ]
    assert_no_findings()
