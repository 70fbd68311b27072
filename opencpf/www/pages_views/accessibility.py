"""The accessibility statement's facts, kept here so that each audit updates one list: the pages checked (with
axe-core in chromium at 1280 and 390 px, keyboard only), the date and the result."""

import datetime

from django.utils.translation import gettext_lazy as _

STATEMENT_DATE = datetime.date(2026, 11, 27)
RGAA_VERSION = "4.1"
# (path, title): the kinds of page the browser journeys check (the full list with every state of each page:
# docs/accessibility-checked-pages.md, written by `make accessibility-pages`).
CHECKED_PAGES = (
    ("/", _("Home")),
    ("/mon-compte/", _("My account")),
    ("/droits/", _("My rights")),
    ("/dossiers/", _("My training files")),
    ("/catalogue/offres/<id>/", _("A training offer")),
    ("/dossiers/<id>/", _("A training file")),
    ("/dossiers/<id>/accepter/", _("Accept the proposal")),
    ("/compte/identite/", _("Verify my identity")),
    ("/dossiers/organisme/", _("Organisation: training files")),
    ("/gestion/", _("Back office")),
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
