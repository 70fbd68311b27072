"""Journeys in Debian's chromium driven by Playwright (no browser download: executable_path is the system one)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=fr-FR",  # French UI; headless date fields may still show mm/dd/yyyy: Person.fill types what is shown
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core (from npm) on the current page; returns the violations of the given impacts."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `npm ci` (the Makefile's test target does)")
    # Evaluated through the DevTools protocol, so the page's strict CSP (nonce-only scripts) stays as it is.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture(scope="session")
def site():
    """The app served by granian with PostgreSQL and a real SMTP server, once per run (tests/browser/site.py)."""
    from tests.browser.site import SiteRunner, postgresql_bindir

    if os.environ.get("OPENCPF_SKIP_JOURNEYS"):  # .ci/run: the journeys serve their own PostgreSQL, once per CI run
        pytest.skip("OPENCPF_SKIP_JOURNEYS is set: the served-app journeys run in the other suite of this CI run")
    if postgresql_bindir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: .ci/run installs Debian's postgresql package")
        pytest.skip(
            "the journeys run on PostgreSQL and its server binaries are not installed (apt-get install postgresql)"
        )
    runner = SiteRunner(keep_dir=os.environ.get("OPENCPF_JOURNEYS_DIR"))
    try:
        yield runner.start()
    finally:
        runner.stop()
    if os.environ.get("OPENCPF_WRITE_CHECKED_PAGES"):  # make accessibility-pages
        from tests.browser.journeys import write_checked_pages

        write_checked_pages(Path(__file__).resolve().parents[2] / "docs" / "accessibility-checked-pages.md")


@pytest.fixture(scope="session")
def staff(site, browser):
    """The demo organisation's staff, agent, funder and advisor, each signed in once per run when first needed
    (password, then the emailed code or the authenticator's): `staff.page("organisation")` opens a signed-in tab."""
    from tests.browser.journeys import sign_in_staff

    states = {}
    contexts = []

    class Staff:
        def page(self, who: str):
            if who not in states:
                states[who] = sign_in_staff(browser, site, who)
            context = browser.new_context(
                base_url=site.url, locale="fr-FR", viewport={"width": 1280, "height": 900}, storage_state=states[who]
            )
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15_000)
            return page

    yield Staff()
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(site, browser):
    """Opens fresh browser windows (a new device each) on the journeys' site, closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=site.url, locale="fr-FR", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
