"""A holder abroad, in a real browser against the served app (granian, PostgreSQL, real SMTP): from an address outside
the zone whose sign-in attempts of the day are spent, the holder is refused, asks for personal access, an agent
grants it, and the holder signs in (a new device: the emailed code) while another account from the same address is
still refused. The browser says where it is with X-Forwarded-For (the site trusts its loopback peer as a proxy).
Keyboard only: the mouse steps of these pages (fields, lists, a file) are those of the holder's journey."""

import json
import secrets

import pytest
from django.utils import timezone

from opencpf.parameters.loader import value as parameter_value
from opencpf.utils.client import country_of_ip
from tests.browser.journeys import Person, assert_no_findings, sign_in
from tests.browser.test_holder_journey import tiny_png

pytestmark = [pytest.mark.browser]

PASSWORD = "Un-Bon-Mot-De-Passe-9"


def from_abroad(browser, site, ip: str):
    context = browser.new_context(
        base_url=site.url,
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
        extra_http_headers={"X-Forwarded-For": ip},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def try_sign_in(person: Person, identifier: str) -> None:
    person.goto("/compte/connexion/")
    person.fill("#id_username", identifier)
    person.fill("#id_password", PASSWORD)
    person.submit()


@pytest.mark.parametrize("keyboard", [True], ids=["keyboard"])
def test_refused_abroad_asks_for_access_granted_then_signs_in(site, staff, browser, keyboard):
    number = secrets.randbelow(998) + 1
    order, neighbour_order = f"{number:03d}", f"{number + 1:03d}"
    ip = f"8.8.8.{secrets.randbelow(250) + 2}"  # one address per run: the database may be kept between runs
    assert country_of_ip(ip) == "US"  # outside France, the EU and the EEA
    email, neighbour_email = f"expat.{order}@example.fr", f"voisin.{order}@example.fr"
    expat, neighbour = site.query(  # one shell for both: each start of Django costs seconds
        "from tests.browser.data import holder_abroad\n"
        f"result = [holder_abroad(email={email!r}, password={PASSWORD!r}, order={order!r}), "
        f"holder_abroad(email={neighbour_email!r}, password={PASSWORD!r}, order={neighbour_order!r})]"
    )
    page = from_abroad(browser, site, ip)
    for attempt in range(int(parameter_value("abroad/daily_attempts", timezone.localdate()))):
        # Others tried before from this address today (the API's sign-in counts as an attempt).
        page.request.post(
            "/api/v1/auth/token",
            data=json.dumps({"username": f"guess{attempt}.{order}@example.fr", "password": "x"}),
            headers={"Content-Type": "application/json"},
        )

    # Refused; the page leads to the request for personal access.
    me = Person(page, keyboard=keyboard)
    try_sign_in(me, expat["nir"])
    page.get_by_test_id("abroad-restricted").wait_for()
    me.check("sign in — refused abroad")
    me.press(page.locator("#content a[href='/compte/identite/acces-etranger/']"))
    page.wait_for_url("**/compte/identite/acces-etranger/")
    me.check("access from abroad — request")
    me.fill("#id_nir", expat["nir"])
    me.fill("#id_birth_date", expat["birth_date"])
    me.fill("#id_email", email)
    me.select("#id_country", "CA")
    me.select("#id_reason_kind", "moved_abroad")
    me.fill("#id_phone_abroad", "+1 514 555 0123")
    me.fill("#id_address_abroad", "1 rue Sainte-Catherine, Montréal")
    me.upload("#id_proof", {"name": "bail.png", "mimeType": "image/png", "buffer": tiny_png()})
    me.submit()
    page.wait_for_url("**/compte/identite/envoyee/**")
    me.check("access from abroad — sent")
    reference = site.query(
        "from opencpf.identity.models import AccessRequest\n"
        f"request = AccessRequest.objects.get(email={email!r})\n"
        f"assert request.ip_address == {ip!r}, request.ip_address\n"
        "result = request.reference"
    )
    assert reference in page.locator("#content").inner_text()

    # An agent grants it from the back office; the holder is told by email.
    before = len(site.mailbox.messages)
    agent = Person(staff.page("agent"), keyboard=keyboard)
    agent.goto("/gestion/acces-etranger/")
    agent.check("back office — access requests")
    agent.press(agent.page.get_by_role("link", name=reference))
    agent.page.wait_for_url("**/gestion/acces-etranger/*/")
    assert "+1 514 555 0123" in agent.page.locator("#content").inner_text()
    agent.check("back office — an access request")
    with agent.page.expect_navigation():
        agent.press(agent.page.get_by_test_id("review-approve"))
    agent.check("back office — an access request granted")
    status = site.query(
        "from opencpf.identity.models import AccessRequest\n"
        f"result = AccessRequest.objects.get(email={email!r}).status"
    )
    assert status == "granted"
    site.text_sent_to(email, reference, after=before)

    # The holder signs in from abroad (a new device: the emailed code); the neighbour is still refused.
    sign_in(me, site, expat["nir"], PASSWORD, email=email)
    page.wait_for_url("**/mon-compte/")
    other = Person(from_abroad(browser, site, ip), keyboard=keyboard)
    try_sign_in(other, neighbour["nir"])
    other.page.get_by_test_id("abroad-restricted").wait_for()
    other.page.context.close()
    page.context.close()
    assert_no_findings()
