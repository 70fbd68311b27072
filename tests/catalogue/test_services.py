import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue import services
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.validators import normalise_siret
from tests.accounts.factories import UserFactory
from tests.catalogue.factories import CertificationFactory, OfferFactory, OrganisationFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "35600000000048"])  # La Poste has its rule
def test_valid_sirets(siret):
    assert normalise_siret(siret) == siret.replace(" ", "")


@pytest.mark.parametrize(
    ("siret", "code"),
    [("73282932000075", "siret_checksum"), ("7328293200007", "siret_length"), ("7328293200007A", "siret_format")],
)
def test_invalid_sirets(siret, code):
    with pytest.raises(ValidationError) as error:
        normalise_siret(siret)
    assert error.value.code == code


def test_the_database_refuses_a_malformed_siret_or_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(siret="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(status="suspended_forever")


def test_status_changes_are_audited():
    organisation = OrganisationFactory()
    agent = UserFactory(agent=True)
    services.organisation_status_set(
        organisation=organisation, status=OrganisationStatus.UNDER_OBSERVATION, actor=agent, reason="cold calls"
    )
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.UNDER_OBSERVATION
    event = AuditEvent.objects.get(action="organisation_status_changed")
    assert event.actor == agent and event.details["previous"] == "approved" and event.details["reason"] == "cold calls"


def test_offer_create_validates_price_hours_and_modality():
    organisation, certification = OrganisationFactory(), CertificationFactory()
    with pytest.raises(ValidationError) as error:
        services.offer_create(
            organisation=organisation,
            certification=certification,
            title=" ",
            price=Decimal("-1"),
            hours=Decimal("0"),
            modality="telepathy",
        )
    assert set(error.value.message_dict) == {"title", "price", "hours", "modality"}
    offer = services.offer_create(
        organisation=organisation, certification=certification, title="Excel", price="1234.567", hours="14.25"
    )
    assert offer.price == Decimal("1234.57") and offer.hours == Decimal("14.3")


def test_sessions_take_their_place_from_the_postal_code_and_city():
    offer = OfferFactory()
    session = services.session_create(
        offer=offer, start_date=in_days(20), end_date=in_days(22), postal_code="69003", city="LYON 3E ARRONDISSEMENT"
    )
    assert (session.city, session.insee_code) == ("Lyon 3e Arrondissement", "69383")
    assert 45.7 < session.latitude < 45.8
    remote = services.session_create(offer=offer, start_date=in_days(20), end_date=in_days(22), is_remote=True)
    assert remote.latitude is None and remote.postal_code == ""
    with pytest.raises(ValidationError) as error:
        services.session_create(offer=offer, start_date=in_days(20), end_date=in_days(22), postal_code="99999")
    assert "postal_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.session_create(
            offer=offer, start_date=in_days(20), end_date=in_days(22), postal_code="69003", city="Marseille"
        )
    assert "city" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.session_create(offer=offer, start_date=in_days(20), end_date=in_days(10), is_remote=True)
    assert "end_date" in error.value.message_dict


def test_the_database_refuses_inconsistent_sessions_and_ratings():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(start_date=datetime.date(2030, 1, 10), end_date=datetime.date(2030, 1, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(is_remote=False, postal_code="", insee_code="", latitude=None, longitude=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(rating_average=Decimal("4.5"), rating_count=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(price=Decimal("-5"))


def test_rating_update():
    offer = OfferFactory()
    services.offer_rating_update(offer=offer, average=Decimal("4.256"), count=7, details={"content": Decimal("4.5")})
    offer.refresh_from_db()
    assert (offer.rating_average, offer.rating_count, offer.rating_details) == (
        Decimal("4.26"),
        7,
        {"content": "4.50"},
    )
    for average, count in [(Decimal("4"), 0), (None, 3), (Decimal("6"), 2), (Decimal("0.5"), 2)]:
        with pytest.raises(ValidationError):
            services.offer_rating_update(offer=offer, average=average, count=count)
    services.offer_rating_update(offer=offer, average=None, count=0)
    offer.refresh_from_db()
    assert offer.rating_average is None


def test_writes_mark_offers_for_the_index_and_enqueue_on_commit(django_capture_on_commit_callbacks):
    offer = OfferFactory()
    before = offer.search_changed_at
    with django_capture_on_commit_callbacks() as callbacks:
        services.offer_update(offer=offer, title="Nouveau titre")
    offer.refresh_from_db()
    assert offer.search_changed_at > before
    assert len(callbacks) == 1
