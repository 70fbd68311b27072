"""The 2026 finance law (loi de finances pour 2026, art. 203; Code du travail L6323-6): the driving licence B is
funded by the account only for job seekers or with a third party's money; caps per kind of training are planned
(their decree is not published: not in force, switched on by a dated entry). The offer page and the acceptance
say why a training is refused or capped."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from opencpf.catalogue.enums import CertificationKind
from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState, Refusal
from opencpf.dossiers.funding_limits import FundingLimitParameters, rights_cap, training_limits
from opencpf.dossiers.models import Dossier, Payment
from opencpf.dossiers.params import funding_limit_parameters
from opencpf.rights.models import Engagement
from tests.catalogue.factories import CertificationFactory, OfferFactory, SessionFactory
from tests.dossiers.factories import accept, day, give_top_up, make_world, propose, register

D = Decimal
LICENCE = CertificationKind.DRIVING_LICENCE
IN_FORCE = FundingLimitParameters(
    driving_licence_b_restricted=True,
    driving_licence_b_codes=frozenset({"PERMIS-B"}),
    caps={LICENCE: D("900.00"), CertificationKind.RS: D("1500.00")},
    uncapped_certifications=frozenset({"RS5080"}),
)


def test_the_licence_restriction_is_dated_and_the_planned_caps_are_not_in_force():
    assert not funding_limit_parameters(datetime.date(2026, 2, 20)).driving_licence_b_restricted
    today = funding_limit_parameters(datetime.date(2026, 11, 27))
    assert today.driving_licence_b_restricted
    assert today.caps == {} and today.uncapped_certifications == frozenset()  # decree not published


@pytest.mark.parametrize(
    ("job_seeker", "third_party", "refused"), [(False, False, True), (True, False, False), (False, True, False)]
)
def test_the_licence_b_only_for_job_seekers_or_with_a_third_party(job_seeker, third_party, refused):
    limits = training_limits(
        certification_kind=LICENCE,
        certification_code="PERMIS-B",
        params=IN_FORCE,
        job_seeker=job_seeker,
        third_party_funds=third_party,
    )
    assert (Refusal.DRIVING_LICENCE_RESTRICTED in [limit.refusal for limit in limits]) == refused
    assert rights_cap(limits) == D("900.00")


def test_heavy_vehicle_licences_are_not_concerned():
    assert training_limits(certification_kind=LICENCE, certification_code="PERMIS-CE", params=IN_FORCE) == ()


@pytest.mark.usefixtures("english")
def test_a_cap_says_why_and_clea_is_left_out():
    capped = training_limits(certification_kind=CertificationKind.RS, certification_code="RS5432", params=IN_FORCE)
    assert capped[0].message == (
        "Your rights can fund at most 1500.00 € of this training (Specific directory (RS) certification): "
        "the rest is paid by card."
    )
    assert training_limits(certification_kind=CertificationKind.RS, certification_code="rs5080", params=IN_FORCE) == ()


def licence_world(**holder_traits):
    world = make_world(**holder_traits)
    licence = CertificationFactory(driving_licence=True)
    world.offer = OfferFactory(organisation=world.organisation, price=D("1200.00"), certification=licence)
    world.session = SessionFactory(offer=world.offer, start_date=day("2026-05-18"), end_date=day("2026-05-22"))
    return world


def proposed(world):
    """A file proposed after the law came into force (21 February 2026)."""
    dossier = register(world, at="2026-04-01")
    return propose(world, dossier, at="2026-04-02")


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_an_employee_cannot_fund_the_licence_b_alone_and_is_told_why(client):
    world = licence_world()
    dossier = proposed(world)
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier, at="2026-04-03")
    assert refused.value.code == "driving_licence_restricted" and refused.value.status == 409
    assert "only for job seekers" in str(refused.value)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.PROPOSED
    assert not Engagement.objects.exists() and not Payment.objects.exists()
    client.force_login(world.user)
    page = client.get(reverse("dossiers:accept", args=[dossier.pk])).content.decode()
    assert "only for job seekers" in page
    offer_page = client.get(reverse("catalogue:offer", args=[world.offer.pk])).content.decode()
    assert 'id="funding-limits"' in offer_page and "only for job seekers" in offer_page


@pytest.mark.django_db
@pytest.mark.parametrize("situation", ["job_seeker", "top_up"])
def test_a_job_seeker_or_a_file_with_a_third_partys_money_can_fund_it(situation):
    world = licence_world(job_seeker=situation == "job_seeker")
    if situation == "top_up":
        give_top_up(world.holder, "200.00")
    dossier = proposed(world)
    accept(world, dossier, at="2026-04-03")
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.CONFIRMED
