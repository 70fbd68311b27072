from io import StringIO

import pytest
from django.core.management import call_command
from stdnum.fr import siret

from opencpf.catalogue.enums import CertificationKind
from opencpf.catalogue.generator import generate
from opencpf.catalogue.models import Certification, Offer, Organisation, Session
from opencpf.catalogue.search import parse_search_params, search_offers
from opencpf.places.selectors import place_for

pytestmark = pytest.mark.django_db


def test_generated_catalogue_is_realistic_and_searchable():
    report = generate(offers=300, sessions=1200, organisations=20, seed=1)
    assert (report.offers, report.sessions) == (300, 1200)
    assert Offer.objects.count() == 300 and Session.objects.count() == 1200
    assert all(siret.is_valid(value) for value in Organisation.objects.values_list("siret", flat=True))
    assert set(Certification.objects.values_list("kind", flat=True)) == set(CertificationKind.values)
    for session in Session.objects.filter(is_remote=False)[:50]:
        assert place_for(session.postal_code, session.city).insee == session.insee_code
    # The ids after the generator's own go on from where it stopped.
    generate(offers=10, sessions=10, organisations=2, seed=2)
    assert Offer.objects.count() == 310


def test_command_generates_and_indexes():
    call_command("generate_catalogue", "--offers=200", "--sessions=600", "--seed=3", "--wet-run", verbosity=0)
    assert search_offers(parse_search_params({"q": "anglais"})).count > 0
    assert search_offers(parse_search_params({"certification": "driving_licence"})).count > 0


def test_command_is_dry_by_default():
    out = StringIO()
    call_command("generate_catalogue", "--offers=20", stdout=out)
    assert "Would generate 20 offers and 100 sessions" in out.getvalue()
    assert not Offer.objects.exists()
