"""Help, in a real browser against the served app: a signed-out visitor searches the help centre, then writes to the
support from the contact form; the reference on the page is the one of the receipt actually emailed and of the
ticket the agents see in the back office. Mouse, then keyboard only."""

import re
import secrets

import pytest

from tests.accounts.test_smtp import plain_text
from tests.browser.journeys import Person, assert_no_findings

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_help_search_then_contact_with_a_receipt(site, staff, new_page, keyboard):
    email = f"visiteur.aide.{secrets.randbelow(99999):05d}@example.fr"
    me = Person(new_page(), keyboard=keyboard)
    me.goto("/")
    me.press(me.page.locator("header a[href='/aide/']").first)
    me.page.wait_for_url("**/aide/")
    me.check("help centre")

    me.fill("#help-q", "annuler")
    me.press(me.page.locator("#help-search button[type=submit]"))
    me.page.wait_for_url("**/aide/?q=*")
    count = me.page.locator("#help-results")
    count.wait_for()
    assert re.search(r"\b[1-9]\d* réponses? pour", count.inner_text())
    me.check("help centre — search")

    me.press(me.page.locator("#content a[href^='/aide/contact/']").first)
    me.page.wait_for_url("**/aide/contact/**")
    me.check("contact")
    me.select("#id_subject", "dossier")
    me.fill("#id_message", "Je voudrais savoir jusqu'à quand je peux annuler ma formation sans frais.")
    me.fill("#id_email", email)
    me.submit()
    me.page.wait_for_url("**/aide/contact/envoye/**")
    me.check("contact — sent")
    reference = re.search(r"AST-\d{4}-\d{6}", me.page.locator("#content").inner_text()).group(0)

    receipt = site.last_mail_to(email)
    assert reference in plain_text(receipt)

    agent = Person(staff.page("agent"), keyboard=keyboard)
    agent.goto("/gestion/assistance/")
    assert reference in agent.page.locator("#content").inner_text()
    assert_no_findings()
