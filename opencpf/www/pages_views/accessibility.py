"""The accessibility statement's facts, kept here so that each audit updates one list: the date, the result, and
the pages checked, read when the site starts from docs/accessibility-checked-pages.md (written by `make
accessibility-pages` from the browser journeys, axe-core in chromium at 1280 and 390 px, keyboard only): the
statement cannot claim a page the journeys did not check."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

STATEMENT_DATE = datetime.date(2026, 11, 27)
RGAA_VERSION = "4.1"
TOOLS = ("axe-core (WCAG 2.2 AA)", "Chromium", "DSFR")
CHECKED_PAGES_FILE = Path(settings.BASE_DIR) / "docs" / "accessibility-checked-pages.md"
# "- `/dossiers/<id>/` — file — proposal"; the earlier table row "| file — proposal | `/dossiers/<id>/` |" too.
_LINE = re.compile(r"^- `(?P<path>/[^`]*)` — (?P<description>.+?)\s*$")
_ROW = re.compile(r"^\| (?P<description>[^|`]+?) \| `(?P<path>/[^`]*)` \|\s*$")


@dataclass(frozen=True)
class CheckedPage:
    path: str  # "/dossiers/<id>/": a kind of page
    descriptions: tuple[str, ...]  # each state of it the journeys checked, in English as the journeys name them

    @property
    def linkable(self) -> bool:
        return "<" not in self.path


def read_checked_pages(text: str) -> tuple[CheckedPage, ...]:
    """Every page of the list, once per address (in the order first checked), with all its checked states."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if match := _LINE.match(line) or _ROW.match(line):
            found.setdefault(match["path"], []).append(match["description"].strip())
    return tuple(CheckedPage(path, tuple(descriptions)) for path, descriptions in found.items())


CHECKED_PAGES = read_checked_pages(CHECKED_PAGES_FILE.read_text(encoding="utf-8"))
