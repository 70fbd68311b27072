"""`make screenshots`: the key pages of the demo at 1280 px and 390 px, saved as small PNGs in docs/screenshots/.

Serves the demo (a throwaway SQLite database with `load_demo`, granian, emails to an SMTP server of this script),
signs in the demo holder, organisation and agent through the sign-in pages, and has Debian's chromium (driven by
Playwright) take each page at both widths. Each PNG is reduced to a 64-colour palette with Pillow.
"""

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from opencpf.accounts import demo  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.journeys import Person, sign_in  # noqa: E402
from tests.browser.site import SiteRunner  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTHS = (1280, 390)
# (file name, who is signed in, path or a callable finding it on the page, full page)
PAGES = [
    ("home", None, "/"),
    ("search", None, "/catalogue/?q=anglais&postal_code=69003&radius_km=30"),
    ("offer", None, "first-offer"),
    ("help", None, "/aide/"),
    ("dashboard", "holder", "/mon-compte/"),
    ("my-rights", "holder", "/droits/"),
    ("my-files", "holder", "/dossiers/"),
    ("a-file", "holder", "first-file"),
    ("security", "holder", "/compte/securite/"),
    ("organisation-space", "organisation", "/dossiers/organisme/"),
    ("back-office", "agent", "/gestion/"),
    ("scam-reports", "agent", "/gestion/signalements/"),
    ("help-requests", "agent", "/gestion/assistance/"),
]


def optimise(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def resolve(page, path: str) -> str | None:
    if path == "first-offer":
        page.goto("/catalogue/?q=anglais")
        return page.locator("#search-results a[href*='/catalogue/offres/']").first.get_attribute("href")
    if path == "first-file":
        page.goto("/dossiers/")
        return (
            page.locator("#content a[href*='/dossiers/']")
            .filter(has_not_text="inscription")
            .first.get_attribute("href")
        )
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    runner = SiteRunner(keep_dir=os.environ.get("OPENCPF_SCREENSHOTS_DIR"), postgresql=False)
    site = runner.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = {}
            for who in (None, "holder", "organisation", "agent"):
                context = browser.new_context(
                    base_url=site.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                person = Person(page, checks=False)
                if who == "holder":
                    sign_in(person, site, demo.DEMO_HOLDER_EMAIL, demo.DEMO_HOLDER_PASSWORD)
                elif who == "organisation":
                    sign_in(person, site, demo.DEMO_ORG_EMAIL, demo.DEMO_ORG_PASSWORD)
                elif who == "agent":
                    sign_in(
                        person,
                        site,
                        demo.DEMO_AGENT_EMAIL,
                        demo.DEMO_AGENT_PASSWORD,
                        totp_secret=demo.DEMO_AGENT_TOTP_SECRET,
                    )
                pages[who] = page
            total = 0
            for name, who, path in PAGES:
                page = pages[who]
                target = resolve(page, path)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    response = page.goto(target)
                    if response is None or response.status != 200:
                        print(f"  {name}: HTTP {response.status if response else '?'} at {target}, skipped")
                        break
                    page.wait_for_load_state("load")
                    data = optimise(page.screenshot(full_page=False))
                    (OUT / f"{name}-{width}.png").write_bytes(data)
                    total += len(data)
                    print(f"  {name}-{width}.png  {len(data) // 1024} KB")
            browser.close()
        print(f"docs/screenshots/: {total // 1024} KB in total")
    finally:
        runner.stop()


if __name__ == "__main__":
    main()
