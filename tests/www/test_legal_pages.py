"""Legal notice, privacy and accessibility statement are complete, and every "contact the support" leads
somewhere."""

import re
from pathlib import Path

import pytest

from opencpf.utils.legal import legal_value
from opencpf.www.pages_views.accessibility import CHECKED_PAGES, CHECKED_PAGES_FILE, CheckedPage, read_checked_pages

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "opencpf" / "templates"


def test_legal_notice_names_publisher_director_host_and_source(client, settings, english):
    settings.OPENCPF_PUBLICATION_DIRECTOR = "Jeanne Martin"
    settings.OPENCPF_HOST = "Hébergeur SAS, 1 rue de l'Exemple, 59000 Lille"
    settings.OPENCPF_SOURCE_URL = "https://code.example.fr/opencpf"
    page = client.get("/mentions-legales/").content.decode()
    for heading in ("Publisher", "Publication director", "Host", "Source code"):
        assert f"<h2>{heading}</h2>" in page
    assert "Caisse des Dépôts et consignations" in page
    assert "Jeanne Martin" in page and "Hébergeur SAS" in page
    assert 'href="https://code.example.fr/opencpf"' in page


def test_privacy_page_has_controller_dpo_purposes_retention_rights_and_cnil(client, english):
    page = client.get("/donnees-personnelles/").content.decode()
    for heading in (
        "Data controller",
        "Data protection officer",
        "Why we use your data",
        "How long we keep it",
        "Your rights",
        "Complaint to the CNIL",
    ):
        assert f"<h2>{heading}</h2>" in page, heading
    # The retention the purge applies, from its parameter.
    assert f"{legal_value('identity/document_retention_days')} after the agent's decision" in page
    assert "8 hours" in page  # SESSION_COOKIE_AGE
    assert "/aide/contact/?sujet=personal_data" in page
    assert "cnil.fr" in page


def test_accessibility_statement_lists_what_was_checked(client, english):
    page = client.get("/accessibilite/").content.decode()
    assert "partially compliant with the RGAA 4.1" in page
    assert re.search(r"It was made on \d{1,2}\xa0[A-Z][a-z]+ \d{4}\.", page)
    checked = page.split('id="checked-pages"', 1)[1].split("</ul>", 1)[0]
    assert checked.count("<li>") == len(CHECKED_PAGES)
    assert '<a class="fr-link" href="/aide/contact/"><code>/aide/contact/</code></a>' in checked
    assert 'href="/dossiers/&lt;id&gt;/"' not in checked and "<code>/dossiers/&lt;id&gt;/</code>" in checked
    assert "/aide/contact/?sujet=accessibility" in page and "Défenseur des droits" in page


def test_the_statement_lists_exactly_the_pages_of_the_checked_list():
    """One list: docs/accessibility-checked-pages.md (written by `make accessibility-pages`), read at start-up."""
    lines = [line for line in CHECKED_PAGES_FILE.read_text().splitlines() if line.startswith("- `")]
    assert lines and sum(len(page.descriptions) for page in CHECKED_PAGES) == len(lines)  # no line lost
    paths = {line.split("`")[1] for line in lines}
    assert [page.path for page in CHECKED_PAGES] == list(dict.fromkeys(line.split("`")[1] for line in lines))
    assert {"/aide/", "/aide/contact/", "/dossiers/<id>/accepter/"} <= paths


def test_the_checked_list_reads_lines_and_the_earlier_table_rows():
    text = "# Title\n\n- `/a/` — page a\n- `/b/<id>/` — b — state one\n| b, another | `/b/<id>/` |\n- `x` — no\n"
    assert read_checked_pages(text) == (
        CheckedPage("/a/", ("page a",)),
        CheckedPage("/b/<id>/", ("b — state one", "b, another")),
    )


def test_the_contact_form_opens_on_the_subject_of_the_link(client):
    page = client.get("/aide/contact/", {"sujet": "accessibility"}).content.decode()
    assert '<option value="accessibility" selected>' in page


def test_every_text_that_says_contact_the_support_links_to_the_form():
    for path in TEMPLATES.rglob("*.*"):
        if path == TEMPLATES / "support" / "contact.html":  # the form itself
            continue
        text = path.read_text()
        if re.search(r"contact (the support|us)\b", text, re.IGNORECASE):
            assert "support:contact" in text or "contact_url" in text, path


def test_support_emails_carry_the_contact_address(settings):
    from opencpf.utils.emails import render_email

    _subject, body = render_email("emails/password_changed", {}, "en")
    assert f"{settings.OPENCPF_SITE_URL}/aide/contact/" in body
