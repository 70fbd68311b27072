"""A scam, in a real browser against the served app: the holder reports a file they did not ask for, which freezes
it; an agent reviews and confirms the scam; the file is cancelled and every euro is back (rights and card).
Keyboard only, the agent too: the mouse steps of these pages (radios, boxes, fields) are the holder journey's."""

import re
import secrets

import pytest

from tests.browser.journeys import Person, assert_no_findings, sign_in

pytestmark = [pytest.mark.browser]

PASSWORD = "Un-Bon-Mot-De-Passe-9"


@pytest.mark.parametrize("keyboard", [True], ids=["keyboard"])
def test_scam_reported_confirmed_and_money_restored(site, staff, new_page, keyboard):
    order = f"{secrets.randbelow(999) + 1:03d}"
    email = f"ines.scam.{order}@example.fr"
    start = site.query(
        "from tests.browser.data import holder_with_file\n"
        f"result = holder_with_file(email={email!r}, password={PASSWORD!r}, order={order!r}, "
        "offer_number='DEMO-BILAN', today_training=False)"
    )
    dossier_id = start["dossier"]
    assert start["balance"] != "2000.00"  # the file engaged rights

    me = Person(new_page(), keyboard=keyboard)
    sign_in(me, site, email, PASSWORD)
    me.goto(f"/dossiers/{dossier_id}/")
    me.check("file — confirmed, paid")
    me.press(me.page.locator("a[href*='/signalement/']").first)
    me.page.wait_for_url("**/signalement/**")
    me.check("report a scam")
    me.choose("#content input[name=situation][value=registered_without_consent]")
    me.fill("#id_description", "Un démarcheur a inscrit ce dossier à mon nom sans me demander.")
    dossier_box = me.page.locator(f"#content input[name=dossiers][value='{dossier_id}']")
    if not dossier_box.is_checked():
        me.choose(dossier_box)
    me.submit()
    me.page.wait_for_url("**/signalement/envoye/**")
    me.check("report a scam — sent")
    frozen = site.query(
        "from opencpf.dossiers.models import Dossier\n"
        f"result = Dossier.objects.get(pk={dossier_id}).frozen_at is not None"
    )
    assert frozen

    agent = Person(staff.page("agent"), keyboard=keyboard)
    agent.goto("/gestion/signalements/")
    agent.check("back office — reports")
    agent.press(agent.page.locator("#content table a").first)
    agent.page.wait_for_url("**/gestion/signalements/*/")
    agent.check("back office — a report")
    agent.press(agent.page.locator("form[action$='/examiner/'] button"))
    agent.page.locator("form[action$='/confirmer/']").wait_for()
    agent.check("back office — a report under review")
    agent.press(agent.page.locator("form[action$='/confirmer/'] button"))
    agent.page.wait_for_url(lambda url: "/confirmer/" not in url)

    after = site.query(
        "from opencpf.dossiers.models import Dossier, Payment\n"
        "from tests.browser.data import balance\n"
        f"dossier = Dossier.objects.get(pk={dossier_id})\n"
        "result = {'state': dossier.state, 'balance': balance(dossier.holder_id), "
        "'card': sorted((p.kind, p.status, str(p.amount)) for p in Payment.objects.filter(dossier=dossier))}"
    )
    assert after["state"] == "cancelled_fraud"
    assert after["balance"] == "2000.00"
    charges = [amount for kind, status, amount in after["card"] if kind == "charge" and status == "succeeded"]
    refunds = [amount for kind, status, amount in after["card"] if kind == "refund" and status == "succeeded"]
    assert charges and refunds == charges, after["card"]
    me.goto("/droits/")
    assert "2 000,00" in re.sub(r"\s", " ", me.page.locator("#content").inner_text())
    me.check("my rights — restored")
    assert_no_findings()
