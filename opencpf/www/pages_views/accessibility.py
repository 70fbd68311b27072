"""The accessibility statement's facts, kept here so that each audit updates one list: the pages checked (with
axe-core in chromium at 1280 and 390 px, keyboard only), the date and the result."""

import datetime

from django.utils.translation import gettext_lazy as _

STATEMENT_DATE = datetime.date(2026, 11, 27)
RGAA_VERSION = "4.1"
# (path, title): the journeys' pages. The journeys helper completes this list as it checks them.
CHECKED_PAGES = (
    ("/", _("Home")),
    ("/compte/inscription/", _("Create my account")),
    ("/compte/connexion/", _("Sign in")),
    ("/catalogue/", _("Find a training")),
    ("/droits/simuler/", _("Simulate my rights")),
    ("/aide/", _("Help")),
    ("/aide/contact/", _("Contact us")),
    ("/signalement/", _("Report a scam")),
    ("/mentions-legales/", _("Legal notice")),
    ("/accessibilite/", _("Accessibility")),
)
TOOLS = ("axe-core (WCAG 2.2 AA)", "Chromium", "DSFR")
