"""The whole life of a training file through the services: request, proposal, acceptance with payment, entry,
exit, payment of the organisation, evaluation — each move recorded, each euro accounted for, emails sent."""

from decimal import Decimal

import pytest
from django.core import mail

from opencpf.catalogue.models import Offer
from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.enums import Action, Actor, ContributionExemption, DossierState, Ending
from opencpf.dossiers.models import (
    Dossier,
    DossierEvent,
    Evaluation,
    OrganisationPayment,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from opencpf.rights.enums import MovementKind
from opencpf.rights.models import Engagement, LedgerEntry
from tests.dossiers.factories import (
    accept,
    assert_ledger_consistent,
    balances,
    day,
    eur,
    make_world,
    paris,
    propose,
    register,
)

pytestmark = pytest.mark.django_db
S = DossierState


def test_from_request_to_payment_and_rating(django_capture_on_commit_callbacks):
    world = make_world(price="1200.00", start="2026-03-16", end="2026-03-20", acquired="3000.00")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = register(world, at="2026-02-02")  # a Monday
    assert dossier.state == S.SUBMITTED
    assert dossier.respond_before == day("2026-02-04")  # 2 business days
    assert dossier.offer_price == eur("1200.00") and dossier.offer_title == world.offer.title
    # The holder and the organisation's member are told, each in their language.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.user.email, world.staff.email])

    propose(world, dossier, at="2026-02-03", price="1100.00")
    dossier.refresh_from_db()
    assert dossier.state == S.PROPOSED
    assert dossier.proposal_price == eur("1100.00")
    assert dossier.accept_before == day("2026-02-09")  # 4 business days after Tuesday 3 February

    accept(world, dossier, at="2026-02-05")
    dossier.refresh_from_db()
    assert dossier.state == S.CONFIRMED
    # The flat contribution of 2026 is paid by card; rights fund the rest.
    assert dossier.contribution_due == eur("103.20") and dossier.contribution_exemption == ""
    assert dossier.funded_amount == eur("996.80") and dossier.card_amount == eur("103.20")
    assert dossier.shortfall == eur("0.00")
    assert balances(world.holder) == (eur("2003.20"), eur("0.00"))
    charge = Payment.objects.get(dossier=dossier)
    assert (charge.kind, charge.status, charge.amount) == (PaymentKind.CHARGE, PaymentStatus.SUCCEEDED, eur("103.20"))
    assert charge.provider == "sandbox" and charge.provider_reference.startswith("sbx_ch_")
    assert dossier.declare_entry_before == day("2026-03-19")
    assert dossier.declare_exit_before == day("2026-03-25")
    assert dossier.free_cancellation_until == day("2026-03-04")

    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20", 17)
    )
    dossier.refresh_from_db()
    assert dossier.state == S.COMPLETED and dossier.ending == Ending.COMPLETION
    assert dossier.organisation_amount == eur("1100.00") and dossier.pay_before == day("2026-04-19")
    payment = OrganisationPayment.objects.get(dossier=dossier)
    assert (payment.amount, payment.from_rights, payment.from_card) == (eur("1100.00"), eur("996.80"), eur("103.20"))
    assert payment.status == "due"
    # The rights paid the organisation: recorded as spent, the balance does not move.
    assert balances(world.holder) == (eur("2003.20"), eur("0.00"))
    assert LedgerEntry.objects.filter(holder=world.holder, kind=MovementKind.PAYMENT).exists()

    # The holder confirms and rates; the organisation is then paid by the periodic task.
    services.dossier_evaluate(
        dossier_id=dossier.pk,
        user=world.user,
        took_place=True,
        ratings={"welcome": 5, "content": 4, "trainers": 5, "resources": 4, "support": 3},
        comment="Très bien.",
        now=paris("2026-03-21"),
    )
    offer = Offer.objects.get(pk=world.offer.pk)
    assert offer.rating_count == 1 and offer.rating_average == eur("4.20")
    assert offer.rating_details["support"] == "3.00"
    assert Evaluation.objects.get(dossier=dossier).comment == "Très bien."

    report = dossiers_lapse(now=paris("2026-03-22"), dry_run=False)
    assert report.paid == 1
    dossier.refresh_from_db()
    payment.refresh_from_db()
    assert dossier.state == S.PAID and payment.status == "paid" and payment.reference
    assert [(e.from_state, e.to_state, e.action, e.actor_kind) for e in dossier.events.order_by("id")] == [
        ("", S.SUBMITTED, Action.SUBMIT, Actor.HOLDER),
        (S.SUBMITTED, S.PROPOSED, Action.PROPOSE, Actor.ORGANISATION),
        (S.PROPOSED, S.CONFIRMED, Action.ACCEPT, Actor.HOLDER),
        (S.CONFIRMED, S.IN_TRAINING, Action.DECLARE_ENTRY, Actor.ORGANISATION),
        (S.IN_TRAINING, S.COMPLETED, Action.DECLARE_EXIT, Actor.ORGANISATION),
        (S.COMPLETED, S.PAID, Action.PAY, Actor.SYSTEM),
    ]
    first = dossier.events.order_by("id").first()
    assert first.actor == world.user and first.ip_address == "192.0.2.10"
    assert_ledger_consistent(world.holder)


def test_a_job_seeker_pays_nothing_when_rights_cover_the_price():
    world = make_world(price="900.00", acquired="1000.00", job_seeker=True)
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier, card=None)
    dossier.refresh_from_db()
    assert dossier.state == S.CONFIRMED
    assert dossier.contribution_exemption == ContributionExemption.JOB_SEEKER
    assert (dossier.funded_amount, dossier.card_amount) == (eur("900.00"), eur("0.00"))
    assert not Payment.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize(
    ("situation", "exemption"),
    [
        ({"c2p_confirmed": True}, ContributionExemption.C2P),
        ({"work_accident_rate": eur("0.12")}, ContributionExemption.WORK_ACCIDENT),
        ({"work_accident_rate": eur("0.05")}, None),  # below the rate in force: the contribution is due
    ],
)
def test_a_confirmed_c2p_or_work_accident_exempts_from_the_contribution(situation, exemption):
    """The holder's situations confirmed by an agent are what the acceptance reads (not a False passed in)."""
    world = make_world(price="900.00", acquired="1000.00", **situation)
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    dossier.refresh_from_db()
    assert dossier.contribution_exemption == (exemption or "")
    if exemption:
        assert (dossier.contribution_due, dossier.funded_amount, dossier.card_amount) == (
            eur("0.00"),
            eur("900.00"),
            eur("0.00"),
        )
        assert not Payment.objects.filter(dossier=dossier).exists()
    else:
        assert dossier.contribution_due == dossier.card_amount == eur("103.20")


def test_nothing_is_written_when_rights_and_card_are_missing():
    world = make_world(price="900.00", acquired="100.00")
    dossier = register(world)
    propose(world, dossier)
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier, card=None)
    assert refused.value.status == 400 and "card" in refused.value.errors
    dossier.refresh_from_db()
    assert dossier.state == S.PROPOSED
    assert balances(world.holder) == (eur("100.00"), eur("0.00"))
    assert not Engagement.objects.filter(dossier_id=dossier.pk).exists()


def test_every_move_is_an_event_and_a_file_is_born_submitted():
    world = make_world()
    dossier = register(world)
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED
    assert Decimal(dossier.offer_hours) == world.offer.hours
