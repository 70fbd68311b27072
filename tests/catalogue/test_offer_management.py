"""The organisation manages its offers and sessions: one service per action, role-checked, validated against the
certification and the rules, audited, and followed by search."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.enums import Modality, OrganisationRole
from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.search import parse_search_params, search_offers
from opencpf.catalogue.services import offers
from opencpf.catalogue.services.staff import member_add
from tests.accounts.factories import UserFactory
from tests.catalogue.factories import CertificationFactory, in_days
from tests.dossiers.factories import organisation_with_staff

pytestmark = pytest.mark.django_db
R = OrganisationRole


@pytest.fixture
def space():
    organisation, manager = organisation_with_staff()
    certification = CertificationFactory(code="RNCP37274", title="Anglais professionnel")
    return organisation, manager, certification


def new_offer(space, **overrides):
    organisation, manager, certification = space
    values = {
        "actor": manager,
        "organisation": organisation,
        "certification_code": certification.code,
        "title": "Anglais des affaires",
        "price": "1200.50",
        "hours": "35",
        "modality": Modality.MIXED,
    }
    return offers.offer_create(**(values | overrides))


def searchable(q: str) -> int:
    return search_offers(parse_search_params({"q": q})).count


def test_create_publish_and_close_reach_search(space, django_capture_on_commit_callbacks):
    organisation, manager, _certification = space
    with django_capture_on_commit_callbacks(execute=True):
        offer = new_offer(space)
    assert not offer.is_active and searchable("affaires") == 0  # prepared, not published
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_publish(actor=manager, offer_id=offer.pk)
    assert searchable("affaires") == 1
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_update(actor=manager, offer_id=offer.pk, title="Anglais juridique")
    assert searchable("juridique") == 1 and searchable("affaires") == 0
    with django_capture_on_commit_callbacks(execute=True):
        offers.offer_close(actor=manager, offer_id=offer.pk)
    assert searchable("juridique") == 0
    actions = list(AuditEvent.objects.filter(target=f"offer:{offer.pk}").values_list("action", "actor_id"))
    assert actions == [
        ("offer_created", manager.pk),
        ("offer_published", manager.pk),
        ("offer_updated", manager.pk),
        ("offer_closed", manager.pk),
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("price", "0"), ("price", "-5"), ("price", "12.345"), ("price", "abc"), ("price", "NaN"), ("hours", "0"),
     ("hours", "7.25"), ("certification_code", "RNCP00000"), ("title", "x" * 301)],
)  # fmt: skip
def test_offer_values_are_checked(space, field, value):
    with pytest.raises(ValidationError) as error:
        new_offer(space, **{field: value})
    assert (field.replace("_code", "")) in error.value.message_dict
    assert not Offer.objects.exists()


def test_roles_are_checked_by_the_services(space):
    organisation, manager, _certification = space
    offer = new_offer(space)
    for roles in ([R.READER], [R.FILES_MANAGER, R.FINANCE_MANAGER]):
        other = UserFactory(organisation_staff=True)
        member_add(organisation=organisation, user=other, roles=roles)
        with pytest.raises(PermissionDenied):
            new_offer(space, actor=other)
        with pytest.raises(PermissionDenied):
            offers.offer_publish(actor=other, offer_id=offer.pk)
        with pytest.raises(PermissionDenied):
            offers.session_create(
                actor=other, offer_id=offer.pk, start_date=in_days(10), end_date=in_days(12), is_remote=True
            )
    stranger_organisation, stranger = organisation_with_staff()
    with pytest.raises(PermissionDenied):
        offers.offer_update(actor=stranger, offer_id=offer.pk, title="Pris")
    assert Offer.objects.get(pk=offer.pk).title == "Anglais des affaires" and not Session.objects.exists()


def test_session_dates_follow_the_rules_and_the_certification(space):
    organisation, manager, certification = space
    certification.valid_from, certification.valid_until = in_days(30), in_days(400)
    certification.save()
    offer = new_offer(space)

    def create(start, end, **kwargs):
        return offers.session_create(actor=manager, offer_id=offer.pk, start_date=start, end_date=end, **kwargs)

    cases = [
        (in_days(-1), in_days(40), "start_date"),  # in the past (and before the registration)
        (in_days(10), in_days(40), "start_date"),  # before the certification is registered
        (in_days(40), in_days(35), "end_date"),  # ends before it starts
        (in_days(300), in_days(450), "end_date"),  # after the registration ends
    ]
    for start, end, field in cases:
        with pytest.raises(ValidationError) as error:
            create(start, end, is_remote=True)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create(in_days(40), in_days(45), is_remote=True, seats=0)
    assert "seats" in error.value.message_dict
    assert not Session.objects.exists()
    session = create(in_days(40), in_days(45), postal_code="69001", city="Lyon", seats=12)
    assert session.city.startswith("Lyon") and session.seats == 12


def test_sessions_fit_the_offer_modality(space):
    organisation, manager, _certification = space
    remote = new_offer(space, modality=Modality.REMOTE, title="TOEIC en ligne")
    with pytest.raises(ValidationError) as error:
        offers.session_create(
            actor=manager,
            offer_id=remote.pk,
            start_date=in_days(5),
            end_date=in_days(6),
            postal_code="69001",
            city="Lyon",
        )
    assert "is_remote" in error.value.message_dict
    offers.session_create(
        actor=manager, offer_id=remote.pk, start_date=in_days(5), end_date=in_days(6), is_remote=True
    )
    with pytest.raises(ValidationError) as error:
        offers.offer_update(actor=manager, offer_id=remote.pk, modality=Modality.ON_SITE)
    assert "modality" in error.value.message_dict


def test_session_close_and_update(space):
    organisation, manager, _certification = space
    offer = new_offer(space)
    session = offers.session_create(
        actor=manager, offer_id=offer.pk, start_date=in_days(5), end_date=in_days(6), is_remote=True
    )
    offers.session_update(actor=manager, session_id=session.pk, seats=8, end_date=in_days(9))
    with pytest.raises(ValidationError):
        offers.session_update(actor=manager, session_id=session.pk, start_date=in_days(-3))
    offers.session_close(actor=manager, session_id=session.pk)
    session.refresh_from_db()
    assert (session.seats, session.end_date, session.is_active) == (8, in_days(9), False)
    assert isinstance(session.start_date, datetime.date)
