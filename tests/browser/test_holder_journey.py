"""The holder's whole journey in a real browser against the served app (granian, PostgreSQL, real SMTP): create
an account, confirm the email from the mail sent, sign in on a new device with the emailed code, verify the
identity (an agent approves the document), search near a postal code, register; the organisation proposes; the
holder accepts and pays with the sandbox card after a declined one, presses "confirm" twice and goes back after
paying: one charge, one engagement of rights. Once with the mouse, once with the keyboard only."""

import re
import secrets
import struct
import zlib

import pytest

from opencpf.accounts.nir import nir_key
from tests.browser.journeys import Person, assert_no_findings, sign_in

pytestmark = [pytest.mark.browser]

PASSWORD = "Un-Bon-Mot-De-Passe-9"


def tiny_png() -> bytes:
    """A real 1×1 PNG (the upload is sniffed from its content)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def credit_a_year_of_work(site, tmp_path, nir: str) -> None:
    """The employer's yearly declaration (DSN) arrives and the yearly crediting runs: 500.00 € of rights."""
    declarations = tmp_path / "dsn.csv"
    declarations.write_text(f"nir,siret,year,hours_worked,reference_hours\n{nir},73282932000074,2025,1607,\n")
    site.manage("import_declarations", str(declarations), "--wet-run")
    site.manage("credit_rights", "--year", "2025", "--wet-run")


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_holder_registers_verifies_registers_and_pays_once(site, staff, new_page, tmp_path, keyboard):
    order = f"{secrets.randbelow(999) + 1:03d}"  # the data stays in OPENCPF_JOURNEYS_DIR between runs
    body = "1900675056" + order
    nir = body + nir_key(body)
    email = f"lea.{order}.{'clavier' if keyboard else 'souris'}@example.fr"

    # 1. Create the account from the home page; the code comes in the email actually sent.
    me = Person(new_page(), keyboard=keyboard)
    page = me.page
    me.goto("/")
    me.check("home")
    me.press(page.get_by_role("link", name=re.compile("Créer mon compte|Create my account")).first)
    page.wait_for_url("**/compte/inscription/")
    me.check("registration")
    me.fill("#id_nir", nir)
    me.fill("#id_last_name", "Moreau")
    me.fill("#id_first_names", "Léa")
    me.fill("#id_birth_date_day", "6")
    me.fill("#id_birth_date_month", "6")
    me.fill("#id_birth_date_year", "1990")
    me.fill("#id_email", email)
    me.fill("#id_phone", "0611223344")
    me.fill("#id_address_line1", "5 quai Saint-Vincent")
    me.fill("#id_postal_code", "69001")
    me.fill("#id_city", "Lyon")
    me.select("#id_status", "employee")
    me.fill("#id_password", PASSWORD)
    me.submit()
    page.wait_for_url("**/compte/confirmer-email/")
    me.check("confirm email")
    me.fill("#id_code", site.code_sent_to(email))
    me.submit()
    page.wait_for_url("**/mon-compte/")
    me.check("dashboard — new holder")

    # 2. The employer's declaration is credited; the holder signs in again from another device: emailed code.
    credit_a_year_of_work(site, tmp_path, nir)
    me = Person(new_page(), keyboard=keyboard)
    page = me.page
    sign_in(me, site, nir, PASSWORD, email=email)
    page.wait_for_url("**/mon-compte/")
    assert "500,00" in page.locator("#content").inner_text()
    me.check("dashboard")

    # 3. Identity: an ID document, approved by an agent in the back office.
    me.goto("/compte/identite/")
    me.check("identity check")
    me.choose("#content input[name=document_kind][value=id_card]")
    me.upload("#content input[type=file]", {"name": "carte.png", "mimeType": "image/png", "buffer": tiny_png()})
    me.submit()
    page.wait_for_url("**/compte/identite/envoyee/**")
    me.check("identity check — sent")
    agent = Person(staff.page("agent"), keyboard=keyboard)
    agent.goto("/gestion/identites/")
    agent.check("back office — identity checks")
    agent.press(agent.page.locator("#content table a").first)
    agent.page.wait_for_url(re.compile(r".*/gestion/identites/\d+/$"))
    agent.check("back office — identity check")
    agent.press(agent.page.locator("form[action$='/approuver/'] button"))
    agent.page.wait_for_url(lambda url: "/approuver/" not in url)

    # 4. Search near a postal code, open the offer, register for the Lyon session.
    me.goto("/catalogue/")
    me.check("search")
    me.fill("#id_q", "anglais")
    me.fill("#id_postal_code", "69003")
    me.select("#id_radius_km", "30")
    me.submit("#content form[role=search]")
    page.wait_for_url(re.compile(r".*postal_code=69003.*"))
    results = page.locator("#search-results")
    results.get_by_text("Anglais professionnel").first.wait_for()
    me.check("search — results near a postal code")
    me.press(results.get_by_role("link", name=re.compile("Anglais professionnel")).first)
    page.wait_for_url(re.compile(r".*/catalogue/offres/\d+/$"))
    me.check("offer")
    me.press(page.locator("#content tr", has_text="Lyon").locator("a[href*='/dossiers/inscription/']").first)
    page.wait_for_url(re.compile(r".*/dossiers/inscription/\d+/$"))
    me.check("registration for a session")
    me.submit()
    page.wait_for_url(re.compile(r".*/dossiers/\d+/$"))
    dossier_id = int(re.search(r"/dossiers/(\d+)/$", page.url).group(1))
    me.check("file — request sent")

    # 5. The organisation proposes the session's dates and price.
    organisation = Person(staff.page("organisation"), keyboard=keyboard)
    organisation.goto("/dossiers/organisme/")
    organisation.check("organisation — requests")
    organisation.goto(f"/dossiers/organisme/{dossier_id}/")
    organisation.check("organisation — a request")
    # The answer comes back to the same address: wait for the page the form leads to, not for the address.
    with organisation.page.expect_navigation():
        organisation.press(organisation.page.locator("form[action$='/propose/'] button[type=submit]"))

    # 6. Accept: a declined card first, then the sandbox card, "confirm" pressed twice, then Back.
    me.goto(f"/dossiers/{dossier_id}/")
    me.check("file — proposal")
    me.press(page.locator(f"a[href$='/dossiers/{dossier_id}/accepter/']"))
    page.wait_for_url("**/accepter/")
    me.check("accept and pay")
    me.fill("#id_number", "4000 0000 0000 0002")
    me.fill("#id_expiry_month", "12")
    me.fill("#id_expiry_year", "2030")
    me.fill("#id_cvc", "123")
    me.submit()
    page.locator(".fr-error-text, .fr-alert--error").first.wait_for()
    me.check("accept and pay — card declined")
    me.fill("#id_number", "4242 4242 4242 4242")
    me.fill("#id_cvc", "123")
    me.press_twice(page.locator("#content form button[type=submit]").first)
    page.wait_for_url(f"**/dossiers/{dossier_id}/")
    me.check("file — confirmed")
    # Back after paying: the browser may offer to send the form again (Chromium refuses without asking, headless);
    # the accept page itself now only says that nothing waits for an answer.
    try:
        page.go_back()
    except Exception as refused:
        assert "ERR_CACHE_MISS" in str(refused)
    page.wait_for_load_state()
    for _attempt in range(3):  # Chromium's error page of the refused resubmission may cut a navigation short
        try:
            page.goto(f"/dossiers/{dossier_id}/accepter/", wait_until="commit")
        except Exception:
            continue
        break
    page.wait_for_url(f"**/dossiers/{dossier_id}/")
    page.locator(".fr-alert, .fr-notice").first.wait_for()

    money = site.query(
        f"""
from opencpf.dossiers.models import Dossier, Payment
from opencpf.rights.models import LedgerEntry
dossier = Dossier.objects.get(pk={dossier_id})
result = {{
    "state": dossier.state,
    "payments": sorted((p.kind, p.status, str(p.amount)) for p in Payment.objects.filter(dossier=dossier)),
    "ledger": sorted((e.kind, str(e.amount)) for e in LedgerEntry.objects.filter(dossier_id=dossier.pk)),
}}"""
    )
    assert money["state"] == "confirmed"
    assert money["payments"] == [["charge", "declined", "790.00"], ["charge", "succeeded", "790.00"]]
    assert len(money["ledger"]) == 1 and money["ledger"][0][1] == "-500.00", money["ledger"]

    me.goto("/dossiers/")
    me.check("my files")
    me.goto("/droits/")
    me.check("my rights")
    assert_no_findings()
