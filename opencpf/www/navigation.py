"""The main menu and the dashboard tiles, by role. Entries whose page is not installed are left out."""

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from opencpf.accounts.enums import Role


@dataclass(frozen=True)
class Entry:
    url_name: str
    title: str
    detail: str = ""
    roles: frozenset = frozenset()  # empty: everyone, signed in or not

    def url(self) -> str | None:
        return _url(self.url_name)


@functools.cache
def _url(url_name: str) -> str | None:
    # URLs do not change while a process runs; reversing them on every page costs more than the rest of the menu.
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


HOLDER = frozenset({Role.HOLDER})
SIGNED_OUT = None  # the role of a visitor who is not signed in
MENU = (
    # Holders (and visitors) see their own words; staff, advisors, funders and agents their space, and help.
    Entry("rights:my_rights", _("My rights"), roles=HOLDER),
    Entry("dossiers:list", _("My files"), roles=HOLDER),
    Entry("catalogue:search", _("Find a training"), roles=frozenset({SIGNED_OUT, Role.HOLDER, Role.ADVISOR})),
    Entry("rights:simulate", _("Simulate my rights"), roles=frozenset({SIGNED_OUT})),
    Entry("advisors:find", _("Find an advisor"), roles=frozenset({SIGNED_OUT, Role.HOLDER})),
    Entry("dossiers:organisation_requests", _("Training files"), roles=frozenset({Role.ORGANISATION_STAFF})),
    Entry("organisations:catalogue", _("Catalogue"), roles=frozenset({Role.ORGANISATION_STAFF})),
    Entry("advisors:advisor_list", _("Advisor space"), roles=frozenset({Role.ADVISOR})),
    Entry("funders:home", _("Funder space"), roles=frozenset({Role.FUNDER})),
    Entry("gestion:home", _("Back office"), roles=frozenset({Role.AGENT})),
    Entry("support:help", _("Help")),
)
TILES = (
    Entry("rights:my_rights", _("My rights"), _("Your balance, its history and the law behind each line."), HOLDER),
    Entry("catalogue:search", _("Find a training"), _("Search by keyword, place, dates, price and ratings.")),
    Entry("dossiers:list", _("My training files"), _("Follow your registrations and their deadlines."), HOLDER),
    Entry(
        "dossiers:organisation_requests",
        _("Requests to answer"),
        _("Registrations, entries, exits and payments of your organisation."),
        frozenset({Role.ORGANISATION_STAFF}),
    ),
    Entry(
        "advisors:find",
        _("Find a career advisor"),
        _("Free advice near you or by video, from the network that serves your situation."),
        HOLDER,
    ),
    Entry(
        "advisors:holder_list",
        _("My advisor appointments"),
        _("Your requests to career advisors and their answers."),
        HOLDER,
    ),
    Entry(
        "advisors:advisor_list",
        _("Advisor space"),
        _("Appointment requests for your site."),
        frozenset({Role.ADVISOR}),
    ),
    Entry(
        "funders:home",
        _("Funder space"),
        _("Credit holders' accounts, one by one or from a CSV file, and see what became of the money."),
        frozenset({Role.FUNDER}),
    ),
    Entry("accounts:information", _("My information"), _("Your contact details, address and situation.")),
    Entry("accounts:security", _("My security"), _("Sign-in history, devices, password and two-step sign-in.")),
    Entry("support:my_tickets", _("My help requests"), _("The messages you sent to the support and its answers.")),
)


def _visible(entries, role: str | None, path: str = ""):
    for entry in entries:
        if entry.roles and role not in entry.roles:
            continue
        if (url := entry.url()) is not None:
            # aria-current: "page" on the page itself, "true" anywhere else in its section.
            current = "page" if path == url else "true" if path.startswith(url) else ""
            yield {"url": url, "title": entry.title, "detail": entry.detail, "current": current}


def main_menu(user, path: str) -> list[dict]:
    return list(_visible(MENU, getattr(user, "role", None), path))


def dashboard_tiles(user) -> list[dict]:
    return list(_visible(TILES, user.role))


# --- breadcrumbs ---------------------------------------------------------------------------------------------------
# The title of each page a trail can go through, once. A view declares its trail with `trail("dossiers:list")`; the
# page itself closes the trail with its `page_title` (layout/breadcrumb.html), "Home" opens it.
TRAIL_TITLES = {
    "www:dashboard": _("My account"),
    "support:help": _("Help"),
    "catalogue:search": _("Find a training"),
    "rights:my_rights": _("My rights"),
    "dossiers:list": _("My training files"),
    "dossiers:organisation_requests": _("Training files"),
    "advisors:find": _("Find a career advisor"),
    "advisors:holder_list": _("My advisor appointments"),
    "advisors:advisor_list": _("Advisor space"),
    "accounts:security": _("My security"),
    "accounts:information": _("My information"),
    "gestion:home": _("Back office"),
    "gestion:tickets": _("Contact messages"),
    "support:my_tickets": _("My help requests"),
}


def trail(*steps: str | tuple[str, str]) -> list[dict]:
    """Breadcrumb links before the current page: URL names of TRAIL_TITLES, or (url, title) pairs."""
    links = []
    for step in steps:
        if isinstance(step, tuple):
            url, title = step
        else:
            url, title = _url(step), TRAIL_TITLES[step]
        if url is not None:
            links.append({"url": url, "title": title})
    return links
