"""On PostgreSQL, acceptances racing on one account (real threads, real transactions) never spend more than the
balance, and two clicks on the same proposal confirm it once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier, Payment, PaymentStatus
from opencpf.rights.models import Engagement
from tests.catalogue.factories import OfferFactory, SessionFactory
from tests.dossiers.factories import (
    GOOD_CARD,
    assert_ledger_consistent,
    balances,
    day,
    eur,
    make_world,
    paris,
    propose,
    register,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write transaction: there is no race to show; run with DATABASE_URL set",
    ),
]


def race(calls):
    """Run the calls at the same moment, each in its own thread and database connection; return outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def proposed_files(count: int, *, price: str, acquired: str):
    world = make_world(price=price, acquired=acquired, start="2026-03-16", end="2026-03-20")
    files = []
    for _ in range(count):
        offer = OfferFactory(organisation=world.organisation, price=Decimal(price))
        session = SessionFactory(offer=offer, start_date=day("2026-03-16"), end_date=day("2026-03-20"))
        dossier = register(world, session=session)
        propose(world, dossier)
        files.append(dossier)
    return world, files


def accept_call(world, dossier, **kwargs):
    return lambda: services.dossier_accept(
        dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=paris("2026-02-04"), **kwargs
    )


def test_racing_confirmations_never_spend_more_than_the_balance():
    world, files = proposed_files(4, price="900.00", acquired="1000.00")
    outcomes = race([accept_call(world, dossier) for dossier in files])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    engaged = sum(e.amount for e in Engagement.objects.filter(holder=world.holder))
    assert engaged == eur("1000.00")  # all the rights, not a cent more
    assert balances(world.holder) == (eur("0.00"), eur("0.00"))
    assert_ledger_consistent(world.holder)
    for dossier in Dossier.objects.filter(pk__in=[d.pk for d in files]):
        # Each file adds up: what rights did not cover was charged to the card.
        assert dossier.funded_amount + dossier.card_amount == eur("900.00")
        charged = sum(p.amount for p in Payment.objects.filter(dossier=dossier, status=PaymentStatus.SUCCEEDED))
        assert charged == dossier.card_amount


def test_racing_confirmations_with_the_amounts_shown_confirm_only_what_the_rights_cover():
    world, files = proposed_files(2, price="900.00", acquired="1000.00")
    outcomes = race([accept_call(world, dossier, expected_card_amount=eur("103.20")) for dossier in files])
    refused = [o for o in outcomes if isinstance(o, services.DossierError)]
    assert len(refused) == 1 and refused[0].code == "funding_changed"
    states = sorted(Dossier.objects.filter(pk__in=[d.pk for d in files]).values_list("state", flat=True))
    assert states == [DossierState.CONFIRMED, DossierState.PROPOSED]
    assert balances(world.holder) == (eur("203.20"), eur("0.00"))
    assert_ledger_consistent(world.holder)


def test_two_clicks_on_one_proposal_confirm_it_once():
    world, (dossier,) = proposed_files(1, price="900.00", acquired="3000.00")
    outcomes = race([accept_call(world, dossier), accept_call(world, dossier)])
    assert sum(1 for o in outcomes if isinstance(o, Dossier)) == 1
    assert sum(1 for o in outcomes if isinstance(o, services.DossierError)) == 1
    assert Engagement.objects.filter(dossier_id=dossier.pk).count() == 1
    assert Payment.objects.filter(dossier=dossier, status=PaymentStatus.SUCCEEDED).count() == 1
    assert balances(world.holder) == (eur("2203.20"), eur("0.00"))
    assert_ledger_consistent(world.holder)


def test_the_periodic_task_racing_an_acceptance_leaves_one_outcome():
    from opencpf.dossiers.deadlines import dossiers_lapse

    world, (dossier,) = proposed_files(1, price="900.00", acquired="3000.00")
    outcomes = race(
        [
            lambda: services.dossier_accept(
                dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=paris("2026-02-09", 23, 59)
            ),
            lambda: dossiers_lapse(now=paris("2026-02-10", 0, 1), dry_run=False),
            lambda: dossiers_lapse(now=paris("2026-02-10", 0, 1), dry_run=False),
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, services.DossierError)]
    state = Dossier.objects.get(pk=dossier.pk).state
    assert state in (DossierState.CONFIRMED, DossierState.PROPOSAL_EXPIRED)
    assert dossier.events.count() == 3  # submitted, proposed, then exactly one of accepted or lapsed
    engaged = Engagement.objects.filter(dossier_id=dossier.pk).exists()
    assert engaged == (state == DossierState.CONFIRMED)
    assert_ledger_consistent(world.holder)
