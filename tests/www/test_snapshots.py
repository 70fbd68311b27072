"""Snapshots (syrupy) of the main pages on the demo data: their HTML, normalised, and how many SQL queries each
takes. A change to a page or to its queries shows as a diff to review; after an intended change, update them with
`pytest tests/www/test_snapshots.py --snapshot-update` and commit the new `__snapshots__`.

Normalised away, because they change from run to run: CSRF tokens, CSP nonces, dates and times (the demo data is
dated from today), and database ids in links and forms.
"""

import re
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL, DEMO_ORG_EMAIL
from opencpf.accounts.models import User
from opencpf.catalogue import demo as catalogue_demo
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\.|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec"  # English short dates: 1 Dec 2026 (opencpf/formats/en)
)
_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NORMALISE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1[csrf]"),
    (re.compile(r'(nonce=")[^"]+'), r"\1[nonce]"),
    (re.compile(rf"\b(?:{_DAYS})\b,? ?", re.IGNORECASE), ""),
    (re.compile(rf"\b\d{{1,2}}(?:er)?[\s\xa0](?:{_MONTHS})(?:[\s\xa0]\d{{4}})?", re.IGNORECASE), "[date]"),
    # A month and its year ("January 2027", "décembre 2026"), before the rule below reads "January 20" as a date.
    (re.compile(rf"(?<!\w)(?:{_MONTHS})[\s\xa0]\d{{4}}\b", re.IGNORECASE), "[month]"),
    (re.compile(rf"(?<!\w)(?:{_MONTHS})[\s\xa0]\d{{1,2}}(?:, \d{{4}})?"), "[date]"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b"), "[date]"),
    (re.compile(r"\b\d{2}/\d{2}/\d{4}\b"), "[date]"),
    (re.compile(r"\b\d{1,2}(?::| h )\d{2}(?: [ap]\.m\.)?|\b\d{1,2} [ap]\.m\.|\bnoon\b|\bmidnight\b"), "[time]"),
    (re.compile(r'((?:href|action|value)="[^"]*?/)\d+(?=/)'), r"\1[id]"),
    (re.compile(r'((?:href|action|value)="[^"]*?/)\d+(?=/)'), r"\1[id]"),  # a second id in the same path
    (re.compile(r'(name="(?:session_id|dossier_id|offer_id)" value=")\d+'), r"\1[id]"),
    (re.compile(r'((?:href|action)="[^"]*?[?&](?:dossier|session|offer)=)\d+'), r"\1[id]"),  # ids in a query
    (re.compile(r"\b(no\.|n°)([\s\xa0]?)\d+"), r"\1\2[id]"),  # a file's number is its id
    (re.compile(r'(<option value=")\d+(")'), r"\1[id]\2"),  # a filter's choices are rows (offers, sessions)
]


def normalised(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    for pattern, replacement in _NORMALISE:
        html = pattern.sub(replacement, html)
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip())


@pytest.fixture
def snapshot_queries(snapshot):
    """`with snapshot_queries(): ...`: the number of SQL queries run inside, against its snapshot."""

    @contextmanager
    def check(name: str):
        with CaptureQueriesContext(connection) as captured:
            yield
        assert {"queries": len(captured.captured_queries)} == snapshot(name=f"{name} queries")

    return check


@pytest.fixture
def demo(monkeypatch, english):
    """The demo of `make run` without its 3 000 synthetic offers: the demo organisation's offers only."""
    monkeypatch.setattr(catalogue_demo, "SYNTHETIC_OFFERS", 0)
    call_command("load_demo", stdout=StringIO())


def page(client, user_email, path, snapshot_queries, name):
    client.force_login(User.objects.get(email=user_email))
    client.get(path)  # sessions, caches and the search reader warm: what is counted is the page itself
    with snapshot_queries(name):
        response = client.get(path)
    return normalised(response)


HOLDER_PAGES = {
    "holder dashboard": "/mon-compte/",
    "my rights": "/droits/",
    "my files": "/dossiers/",
    "search page": "/catalogue/?q=anglais",
    "search page around Lyon": "/catalogue/?postal_code=69001&radius_km=30",
}
ORGANISATION_PAGES = {
    "organisation worklists": "/dossiers/organisme/",
    "organisation worklist filtered": "/dossiers/organisme/?state=submitted&q=a&page=2",
    "organisation payments": "/dossiers/organisme/paiements/",
}


# One test per side, the demo loaded once for all its pages; each page has its two snapshots.


@pytest.mark.usefixtures("demo")
def test_holder_pages(client, snapshot, snapshot_queries):
    proposed = Dossier.objects.get(holder__user__email=DEMO_HOLDER_EMAIL, state=DossierState.PROPOSED)
    for name, path in {**HOLDER_PAGES, "file page": f"/dossiers/{proposed.pk}/"}.items():
        assert page(client, DEMO_HOLDER_EMAIL, path, snapshot_queries, name) == snapshot(name=f"{name} html")


@pytest.mark.usefixtures("demo")
def test_organisation_pages(client, snapshot, snapshot_queries):
    for name, path in ORGANISATION_PAGES.items():
        assert page(client, DEMO_ORG_EMAIL, path, snapshot_queries, name) == snapshot(name=f"{name} html")
