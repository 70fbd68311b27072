"""What a person does in the journeys, with the mouse or with the keyboard only, and the checks made on every page.

`Person(page, keyboard=True)` reaches every field, link and button by Tab and acts with Enter, Space, arrows and
typing only: a step that cannot be done that way fails. `Person.check(label)` runs axe-core (WCAG 2.2 AA rules)
at 1280 px and 390 px and measures the horizontal scroll at 390 px; what it finds is kept in `FINDINGS` and every
page checked in `CHECKED` (written to docs/accessibility-checked-pages.md by `make accessibility-pages`).
"""

import datetime
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import AXE_SCRIPT

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDE, NARROW = 1280, 390
HEIGHT = 900
MAX_TABS = 300

# label -> path checked (a page is checked once per run, whichever journey or mode gets there first)
CHECKED: dict[str, str] = {}
FIELD_LAYOUT: dict[str, bool] = {}
# [is the focus on `el`, a description of the focused element when a person cannot see it (else "")]
FOCUS_STATE = """(el) => {
    const active = document.activeElement;
    if (!active || active === document.body) return [false, ""];
    // DSFR hides the native box of a checkbox or radio and draws it, with its focus ring, on the label
    const drawn = ["checkbox", "radio"].includes(active.type) && active.labels && active.labels.length
        ? active.labels[0] : active;
    const box = drawn.getBoundingClientRect();
    const style = getComputedStyle(drawn);
    const unseen = box.width < 2 || box.height < 2 || style.visibility === "hidden" || style.opacity === "0";
    const name = active.tagName.toLowerCase() + (active.id ? "#" + active.id : "")
        + " “" + (active.textContent || active.getAttribute("aria-label") || "").trim().slice(0, 40) + "”";
    return [active === el, unseen ? name : ""];
}"""
# what the checks found and no test has reported yet
FINDINGS: list[str] = []


def assert_no_findings() -> None:
    """Fails with everything the checks found since the last call (all pages at once, to fix them together)."""
    found = list(FINDINGS)
    FINDINGS.clear()
    assert found == [], "\n".join(found)


def path_pattern(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    return re.sub(r"/\d+(?=/)", "/<id>", path)


def axe_serious(page) -> list[str]:
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def next_frames(page) -> None:
    """After a resize: two frames drawn, so the page's own resize handlers have run (no fixed wait)."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


class Person:
    def __init__(self, page, *, keyboard: bool = False, checks: bool = True):
        self.page = page
        self.keyboard = keyboard
        self.checks = checks  # False: nothing is measured (make screenshots)
        self.findings = FINDINGS

    # --- checks ---------------------------------------------------------------------------------------------

    def check(self, label: str) -> None:
        """axe-core at both widths and no horizontal scroll at 390 px, once per label and run."""
        if not self.checks or label in CHECKED:
            return
        page = self.page
        CHECKED[label] = path_pattern(page.url)
        for violation in axe_serious(page):
            self.findings.append(f"{label} [{WIDE} px] {violation}")
        page.set_viewport_size({"width": NARROW, "height": HEIGHT})
        next_frames(page)
        try:
            for violation in axe_serious(page):
                self.findings.append(f"{label} [{NARROW} px] {violation}")
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if widths[0] > widths[1]:
                self.findings.append(f"{label} [{NARROW} px] scrolls sideways: {widths[0]} px wide")
        finally:
            page.set_viewport_size({"width": WIDE, "height": HEIGHT})
            next_frames(page)

    # --- moving around --------------------------------------------------------------------------------------

    def goto(self, path: str) -> None:
        """Typing an address is allowed in both modes: it is not a click."""
        self.page.goto(path)

    def focus(self, target) -> None:
        """Keyboard: Tab until `target` has the focus (it must be reachable by Tab)."""
        locator = self._locator(target)
        locator.wait_for(state="visible")
        handle = locator.element_handle()
        for _ in range(MAX_TABS):
            reached, unseen = self.page.evaluate(FOCUS_STATE, handle)
            if unseen and self.checks:
                self.findings.append(f"{path_pattern(self.page.url)}: the focus goes to an invisible {unseen}")
            if reached:
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{target!r} cannot be reached with the Tab key")

    def _field_layout(self) -> dict[str, bool]:
        """How this browser lays out date and time fields (headless chromium may ignore --lang): asked once."""
        if not FIELD_LAYOUT:
            probe = self.page.context.new_page()
            probe.set_content("<input type=date><input type=time>")
            probe.focus("input[type=date]")
            probe.keyboard.type("01021990")
            probe.focus("input[type=time]")
            probe.keyboard.type("1030")
            FIELD_LAYOUT["month_first"] = probe.input_value("input[type=date]") == "1990-01-02"
            FIELD_LAYOUT["twelve_hours"] = probe.input_value("input[type=time]") == ""  # waits for AM/PM
            probe.close()
            self.page.bring_to_front()  # the person's tab is the one in front again (a file chooser needs it)
        return FIELD_LAYOUT

    def _locator(self, target):
        return self.page.locator(target).first if isinstance(target, str) else target

    # --- acting ---------------------------------------------------------------------------------------------

    def fill(self, target, text: str) -> None:
        locator = self._locator(target)
        if not self.keyboard:
            locator.fill(text)
            return
        self.focus(locator)
        kind = locator.get_attribute("type")
        if kind == "date":  # typed in the order the browser shows the day, month and year
            day = datetime.date.fromisoformat(text)
            self.page.keyboard.type(f"{day:%m%d%Y}" if self._field_layout()["month_first"] else f"{day:%d%m%Y}")
        elif kind == "time":  # the field moves from the hours to the minutes (and to AM/PM) by itself
            hours, minutes = (int(part) for part in text.split(":"))
            if self._field_layout()["twelve_hours"]:
                self.page.keyboard.type(f"{(hours - 1) % 12 + 1:02d}{minutes:02d}{'P' if hours >= 12 else 'A'}")
            else:
                self.page.keyboard.type(f"{hours:02d}{minutes:02d}")
        else:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
        assert locator.input_value() == text, (
            f"typed {text!r} in {target!r}, the field holds {locator.input_value()!r}"
        )

    def select(self, target, value: str) -> None:
        locator = self._locator(target)
        if not self.keyboard:
            locator.select_option(value)
            return
        self.focus(locator)
        self.page.keyboard.press("Home")
        for _ in range(300):
            if locator.input_value() == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{value!r} cannot be chosen with the arrow keys in {target!r}")

    def choose(self, target) -> None:
        """A radio button or a checkbox: ticked."""
        locator = self._locator(target)
        if not self.keyboard:  # DSFR draws the box on the label: that is what a person clicks
            self.page.locator(f"label[for='{locator.get_attribute('id')}']").click()
            assert locator.is_checked()
            return
        if locator.get_attribute("type") == "radio":
            name = locator.get_attribute("name")
            for _ in range(MAX_TABS):  # Tab enters a group of radios once; arrows move inside it
                if self.page.evaluate("(name) => document.activeElement.name === name", name):
                    break
                self.page.keyboard.press("Tab")
            if not locator.is_checked() and self.page.evaluate(
                "(el) => document.activeElement === el", locator.element_handle()
            ):
                self.page.keyboard.press("Space")  # Tab lands on the first radio of a group without ticking it
            for _ in range(20):
                if locator.is_checked():
                    return
                self.page.keyboard.press("ArrowRight")
            raise AssertionError(f"{target!r} cannot be chosen with the arrow keys")
        self.focus(locator)
        if not locator.is_checked():
            self.page.keyboard.press("Space")

    def press(self, target) -> None:
        """A link or a button: followed or pressed (Enter)."""
        locator = self._locator(target)
        if not self.keyboard:
            locator.click()
            return
        self.focus(locator)
        self.page.keyboard.press("Enter")

    def press_twice(self, target) -> None:
        """An impatient person: a double click, or Enter twice at once."""
        locator = self._locator(target)
        if not self.keyboard:
            locator.dblclick()
            return
        self.focus(locator)
        self.page.keyboard.press("Enter")
        self.page.keyboard.press("Enter")

    def upload(self, target, files: dict) -> None:
        """A file input: {"name", "mimeType", "buffer"}. Keyboard: Space opens the file chooser."""
        locator = self._locator(target)
        if not self.keyboard:
            locator.set_input_files(files)
            return
        self.focus(locator)
        # Chromium now and then drops the chooser a key press asks for (seen once in ~30 full runs, never twice in a
        # row): a person would press again, and so does this; a field the keyboard cannot open still fails.
        for attempt in range(3):
            try:
                with self.page.expect_file_chooser(timeout=5_000) as chooser:
                    self.page.keyboard.press("Space" if attempt < 2 else "Enter")
            except PlaywrightTimeoutError:
                assert self.page.evaluate("(el) => document.activeElement === el", locator.element_handle()), (
                    f"the focus left {target!r} before its file chooser opened"
                )
                continue
            chooser.value.set_files(files)
            return
        raise AssertionError(f"no file chooser opened from the keyboard on {target!r}")

    def submit(self, form_selector: str = "#content form") -> None:
        self.press(self.page.locator(f"{form_selector} button[type=submit]").first)


# --- signing in -------------------------------------------------------------------------------------------------


def totp_now(secret_base32: str) -> str:
    """RFC 6238 code, as the agent's authenticator app shows it."""
    import base64
    import hashlib
    import hmac
    import struct
    import time

    key = base64.b32decode(secret_base32)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def sign_in(
    person: Person, site, identifier: str, password: str, *, email: str | None = None, totp_secret: str | None = None
) -> None:
    """The one sign-in path: password, then the emailed code (new device, sent to `email`) or the authenticator's."""
    page = person.page
    before = len(site.mailbox.messages)
    person.goto("/compte/connexion/")
    person.check("sign in")
    person.fill("#id_username", identifier)
    person.fill("#id_password", password)
    person.submit()
    page.wait_for_url("**/compte/connexion/code/")
    person.check("sign in — code")
    code = totp_now(totp_secret) if totp_secret else site.code_sent_to(email or identifier, after=before)
    person.fill("#id_code", code)
    person.submit()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)


def sign_in_staff(browser, site, who: str) -> dict:
    from opencpf.accounts import demo
    from opencpf.advisors.demo import DEMO_ADVISOR_EMAIL, DEMO_ADVISOR_PASSWORD
    from opencpf.funders.demo import DEMO_FUNDER_EMAIL, DEMO_FUNDER_PASSWORD

    context = browser.new_context(base_url=site.url, locale="fr-FR", viewport={"width": WIDE, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(15_000)
    if who == "agent":
        sign_in(
            Person(page),
            site,
            demo.DEMO_AGENT_EMAIL,
            demo.DEMO_AGENT_PASSWORD,
            totp_secret=demo.DEMO_AGENT_TOTP_SECRET,
        )
    else:
        email, password = {
            "organisation": (demo.DEMO_ORG_EMAIL, demo.DEMO_ORG_PASSWORD),
            "funder": (DEMO_FUNDER_EMAIL, DEMO_FUNDER_PASSWORD),
            "advisor": (DEMO_ADVISOR_EMAIL, DEMO_ADVISOR_PASSWORD),
        }[who]
        sign_in(Person(page), site, email, password)
    state = context.storage_state()
    context.close()
    return state


def write_checked_pages(path) -> None:
    """The list the accessibility statement shows: every page the journeys checked, and how."""
    lines = [
        "# Pages checked for accessibility",
        "",
        "Written by `make accessibility-pages` (the browser journeys of tests/browser/, run on the served app).",
        f"Each page: axe-core {', '.join(AXE_TAGS)} rules at {WIDE} px and {NARROW} px, no critical or serious",
        f"violation; no horizontal scrolling at {NARROW} px. The journeys are also walked with the keyboard only.",
        "The accessibility statement (/accessibilite/) reads this list at start-up, one line per page checked:",
        '"- `address` — what the page shows".',
        "",
        *(f"- `{address}` — {label}" for label, address in CHECKED.items()),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
