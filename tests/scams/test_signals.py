"""Organisations ranked by risk: generated data with a planted burst of registrations and a planted ring of holders
registering from one address come first."""

import datetime
import random

import pytest
from django.utils import timezone

from opencpf.accounts.services import audit
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.dossiers.models import Dossier, DossierEvent
from opencpf.scams.signals import organisation_signals
from tests.accounts.factories import HolderFactory
from tests.catalogue.factories import OfferFactory, OrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _file(organisation, offer, session, holder, at, ip):
    dossier = Dossier.objects.create(
        holder=holder,
        organisation=organisation,
        offer=offer,
        session=session,
        offer_title=offer.title,
        offer_price=offer.price,
        offer_hours=offer.hours,
        submitted_at=at,
        respond_before=at.date() + datetime.timedelta(days=3),
        created_at=at,
    )
    DossierEvent.objects.create(
        dossier=dossier,
        from_state="",
        to_state=DossierState.SUBMITTED,
        action=Action.SUBMIT,
        actor_kind=Actor.HOLDER,
        actor=holder.user,
        at=at,
        ip_address=ip,
    )
    return dossier


def test_a_planted_burst_and_a_planted_shared_address_ring_are_ranked_first():
    rng = random.Random(20261127)
    now = timezone.now()
    holders = [HolderFactory() for _i in range(40)]
    organisations = []
    for index in range(8):
        organisation = OrganisationFactory(name=f"Organisme ordinaire {index}")
        offer = OfferFactory(organisation=organisation)
        session = SessionFactory(offer=offer, is_remote=True, days_from_now=60)
        organisations.append((organisation, offer, session))
        # A steady activity: about one file a week over four months, from varied addresses.
        for holder in rng.sample(holders, 16):
            at = now - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23))
            _file(organisation, offer, session, holder, at, f"198.51.100.{rng.randint(1, 250)}")
    burst, burst_offer, _session = organisations[3]
    burst_session = SessionFactory(offer=burst_offer, is_remote=True, days_from_now=70)
    for index in range(25):  # 25 files in three days, against ~1 a week before
        at = now - datetime.timedelta(days=rng.randint(0, 2), hours=rng.randint(0, 23))
        _file(burst, burst_offer, burst_session, holders[index], at, f"203.0.113.{index + 1}")
    ring, ring_offer, _session = organisations[6]
    ring_session = SessionFactory(offer=ring_offer, is_remote=True, days_from_now=70)
    for index in range(6):  # six different holders registered from one address, some after a contact change
        holder = holders[20 + index]
        at = now - datetime.timedelta(days=10 + index)
        if index % 2 == 0:
            audit(actor=holder.user, action="email_changed", target=f"user:{holder.user_id}")
        _file(ring, ring_offer, ring_session, holder, at, "192.0.2.66")

    ranked = organisation_signals(now=now + datetime.timedelta(seconds=1))
    first_two = {ranked[0].organisation.pk, ranked[1].organisation.pk}
    assert first_two == {burst.pk, ring.pk}
    by_org = {row.organisation.pk: row for row in ranked}
    assert by_org[burst.pk].burst > 5
    assert by_org[ring.pk].max_holders_per_address == 6
    assert by_org[organisations[0][0].pk].max_holders_per_address <= 2
