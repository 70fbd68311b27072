"""After the training, in a real browser against the served app: the organisation declares the entry and the exit,
the holder confirms the training took place and rates it, and the rating shows on the offer's page. Keyboard only,
the organisation too: the mouse steps of these pages (buttons, radios, a comment) are those of the holder's journey."""

import re
import secrets

import pytest

from tests.browser.journeys import Person, assert_no_findings, sign_in

pytestmark = [pytest.mark.browser]

PASSWORD = "Un-Bon-Mot-De-Passe-9"


@pytest.mark.parametrize("keyboard", [True], ids=["keyboard"])
def test_entry_exit_rating_shows_on_the_offer(site, staff, new_page, keyboard):
    order = f"{secrets.randbelow(999) + 1:03d}"
    email = f"ines.{order}@example.fr"
    start = site.query(
        "from tests.browser.data import holder_with_file\n"
        f"result = holder_with_file(email={email!r}, password={PASSWORD!r}, order={order!r}, "
        "offer_number='DEMO-DEVWEB', today_training=True)"
    )
    dossier_id = start["dossier"]

    organisation = Person(staff.page("organisation"), keyboard=keyboard)
    organisation.goto(f"/dossiers/organisme/{dossier_id}/")
    organisation.check("organisation — a file to start")
    # Each answer comes back to the same address: wait for the page the form leads to, not for the address.
    with organisation.page.expect_navigation():
        organisation.press(organisation.page.locator("form[action$='/declare-entry/'] button[type=submit]"))
    organisation.page.locator("form[action$='/declare-exit/']").wait_for()
    organisation.check("organisation — a file in training")
    with organisation.page.expect_navigation():
        organisation.press(organisation.page.locator("form[action$='/declare-exit/'] button[type=submit]"))
    organisation.goto("/dossiers/organisme/paiements/")
    organisation.check("organisation — payments")

    me = Person(new_page(), keyboard=keyboard)
    sign_in(me, site, email, PASSWORD)
    me.goto(f"/dossiers/{dossier_id}/")
    me.check("file — completed")
    me.press(me.page.locator(f"a[href$='/dossiers/{dossier_id}/evaluer/']"))
    me.page.wait_for_url("**/evaluer/")
    me.check("rate the training")
    me.choose("#content input[name=took_place][value=yes]")
    for criterion in ("welcome", "content", "trainers", "resources", "support"):
        me.choose(f"#content input[name={criterion}][value='5']")
    comment = f"Formatrice à l'écoute, projet concret ({order})."
    me.fill("#id_comment", comment)
    me.submit()
    me.page.wait_for_url(f"**/dossiers/{dossier_id}/")

    me.goto(f"/catalogue/offres/{start['offer']}/")
    me.page.get_by_text(comment).wait_for()
    assert re.search(r"\b13\b", me.page.locator("#content").inner_text())  # 12 ratings in the demo, and this one
    me.check("offer — with ratings")
    assert_no_findings()
