"""Every row of DESIGN §2.3's cancellation table through the services: what comes back to which bucket, what the
card gets back, what the organisation is owed — and the ledger still adds up.

The file: price 1 200 €, funded by an earmarked regional top-up (300 €), a France Travail top-up expiring at the end
of the year (200 €) and acquired rights (596.80 €); the holder paid the 2026 flat contribution (103.20 €) by card.
"""

from decimal import Decimal

import pytest

from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.enums import DossierState, Ending
from opencpf.dossiers.models import Dossier, OrganisationPayment, Payment, PaymentKind
from opencpf.rights.enums import FunderKind
from opencpf.rights.models import Engagement, TopUp
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


@pytest.fixture
def file():
    world = make_world(price="1200.00", start="2026-03-16", end="2026-03-20", acquired="3000.00")
    earmarked = _top_up(world, "300.00", FunderKind.REGION, "Région Bretagne", earmark=True)
    expiring = _top_up(world, "200.00", FunderKind.FRANCE_TRAVAIL, "France Travail", expires="2026-12-31")
    dossier = register(world, at="2026-02-02")
    propose(world, dossier, at="2026-02-03")
    accept(world, dossier, at="2026-02-05")
    dossier.refresh_from_db()
    return world, dossier, earmarked, expiring


def _top_up(world, amount, kind, name, *, earmark=False, expires=None):
    from opencpf.rights import services as rights

    return rights.topup_add(
        holder=world.holder,
        amount=Decimal(amount),
        funder_kind=kind,
        funder_name=name,
        earmark_certifications=[world.offer.certification.code] if earmark else [],
        expires_on=day(expires) if expires else None,
        on_date=day("2025-01-02"),
    )


def test_the_acceptance_spends_earmarked_then_expiring_top_ups_then_acquired_rights(file):
    world, dossier, earmarked, expiring = file
    parts = {
        (e.bucket, e.top_up_id): e.amount for e in Engagement.objects.filter(dossier_id=dossier.pk).order_by("id")
    }
    assert parts == {
        ("top_up", earmarked.pk): eur("300.00"),
        ("top_up", expiring.pk): eur("200.00"),
        ("acquired", None): eur("596.80"),
    }
    assert [line["amount"] for line in dossier.funding] == ["300.00", "200.00", "596.80"]
    assert (dossier.funded_amount, dossier.card_amount) == (eur("1096.80"), eur("103.20"))
    assert balances(world.holder) == (eur("2403.20"), eur("0.00"))
    assert_ledger_consistent(world.holder)


def _remaining(*top_ups):
    return [TopUp.objects.get(pk=t.pk).remaining for t in top_ups]


def _refund(dossier):
    refund = Payment.objects.filter(dossier=dossier, kind=PaymentKind.REFUND).first()
    return refund.amount if refund else eur("0.00")


def _owed(dossier):
    payment = OrganisationPayment.objects.filter(dossier=dossier).first()
    return (payment.amount, payment.from_rights, payment.from_card) if payment else None


def test_holder_cancels_more_than_seven_business_days_before_the_start(file):
    world, dossier, earmarked, expiring = file
    services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-03-04", 23))
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.CANCELLED_BY_HOLDER, Ending.HOLDER_EARLY)
    assert balances(world.holder) == (eur("3000.00"), eur("500.00"))  # everything back, to its bucket
    assert _remaining(earmarked, expiring) == [eur("300.00"), eur("200.00")]
    assert _refund(dossier) == eur("103.20") and _owed(dossier) is None
    assert (dossier.restored_amount, dossier.forfeited_amount) == (eur("1096.80"), eur("0.00"))
    assert_ledger_consistent(world.holder)


def test_holder_cancels_late(file):
    world, dossier, earmarked, expiring = file
    services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-03-05", 0, 5))
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.CANCELLED_BY_HOLDER, Ending.HOLDER_LATE)
    assert balances(world.holder) == (eur("2403.20"), eur("0.00"))  # rights lost
    assert _remaining(earmarked, expiring) == [eur("0.00"), eur("0.00")]
    assert _refund(dossier) == eur("0.00")
    # 5 % of the price, taken from every source in proportion.
    assert _owed(dossier) == (eur("60.00"), eur("54.84"), eur("5.16"))
    assert OrganisationPayment.objects.get(dossier=dossier).due_on == day("2026-04-04")
    assert (dossier.restored_amount, dossier.forfeited_amount) == (eur("0.00"), eur("1096.80"))
    assert Engagement.objects.filter(dossier_id=dossier.pk, forfeited=0).count() == 0
    assert_ledger_consistent(world.holder)


def test_no_show(file):
    world, dossier, *_ = file
    with pytest.raises(services.DossierError):  # not before the start
        services.dossier_declare_no_show(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-13"))
    services.dossier_declare_no_show(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-17"))
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.CANCELLED_BY_HOLDER, Ending.NO_SHOW)
    assert balances(world.holder) == (eur("2403.20"), eur("0.00"))
    assert _refund(dossier) == eur("0.00") and _owed(dossier)[0] == eur("60.00")
    assert_ledger_consistent(world.holder)


@pytest.mark.parametrize(
    ("attendance", "owed"),
    [("10", "300.00"), ("25", "300.00"), ("50", "600.00"), ("80", "960.00"), ("80.01", "1200.00"), ("90", "1200.00")],
)
def test_abandonment_without_force_majeure(file, attendance, owed):
    world, dossier, earmarked, expiring = file
    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    services.dossier_declare_abandonment(
        dossier_id=dossier.pk,
        user=world.staff,
        attendance_percent=attendance,
        reason="Left without notice",
        now=paris("2026-03-18"),
    )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.ABANDONED, Ending.ABANDONMENT)
    assert balances(world.holder) == (eur("2403.20"), eur("0.00"))  # rights lost
    assert _refund(dossier) == eur("0.00")
    amount, from_rights, from_card = _owed(dossier)
    assert amount == eur(owed) and from_rights + from_card == amount
    assert dossier.attendance_share == Decimal(attendance) / 100
    assert_ledger_consistent(world.holder)


def test_abandonment_for_force_majeure_restores_the_unused_part(file):
    world, dossier, earmarked, expiring = file
    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    services.dossier_declare_abandonment(
        dossier_id=dossier.pk,
        user=world.staff,
        attendance_percent="40",
        force_majeure=True,
        reason="Hospitalised",
        now=paris("2026-03-18"),
    )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.ABANDONED, Ending.FORCE_MAJEURE)
    # 40 % consumed from every source in proportion: 120 + 80 + 238.72 of rights, 41.28 of the card payment.
    assert _remaining(earmarked, expiring) == [eur("180.00"), eur("120.00")]
    assert balances(world.holder) == (eur("2403.20") + eur("358.08"), eur("300.00"))
    assert _refund(dossier) == eur("61.92")
    assert _owed(dossier) == (eur("480.00"), eur("438.72"), eur("41.28"))
    assert_ledger_consistent(world.holder)


@pytest.mark.parametrize("stage", ["confirmed", "in_training"])
def test_the_organisation_cancels_everything_is_restored(file, stage):
    world, dossier, earmarked, expiring = file
    if stage == "in_training":
        services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    with pytest.raises(services.DossierError) as refused:
        services.dossier_cancel(dossier_id=dossier.pk, user=world.staff, reason="", now=paris("2026-03-17"))
    assert "reason" in refused.value.errors
    services.dossier_cancel(dossier_id=dossier.pk, user=world.staff, reason="Trainer ill", now=paris("2026-03-17"))
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.CANCELLED_BY_OF, Ending.BY_ORGANISATION)
    assert dossier.cancel_reason == "Trainer ill"
    assert _remaining(earmarked, expiring) == [eur("300.00"), eur("200.00")]  # top-ups back to their funders
    assert balances(world.holder) == (eur("3000.00"), eur("500.00"))
    assert _refund(dossier) == eur("103.20") and _owed(dossier) is None
    assert_ledger_consistent(world.holder)


@pytest.mark.parametrize(
    ("completion", "owed", "restored", "refund"),
    [("100", "1200.00", "0.00", "0.00"), ("50", "600.00", "548.40", "51.60")],
)
def test_completion_pays_the_share_delivered(file, completion, owed, restored, refund):
    world, dossier, earmarked, expiring = file
    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    with pytest.raises(services.DossierError):  # not before the last day
        services.dossier_declare_exit(
            dossier_id=dossier.pk, user=world.staff, completion_percent=completion, now=paris("2026-03-19")
        )
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent=completion, now=paris("2026-03-20")
    )
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.COMPLETED, Ending.COMPLETION)
    assert _owed(dossier)[0] == eur(owed)
    assert dossier.restored_amount == eur(restored) and _refund(dossier) == eur(refund)
    assert dossier.restored_amount + dossier.forfeited_amount == dossier.funded_amount
    assert_ledger_consistent(world.holder)


def test_an_entry_never_declared_cancels_the_file_and_restores_everything(file):
    world, dossier, earmarked, expiring = file
    assert dossier.declare_entry_before == day("2026-03-19")
    assert dossiers_lapse(now=paris("2026-03-19", 23, 59), dry_run=False).lapsed["confirmed"] == 0
    report = dossiers_lapse(now=paris("2026-03-20", 0, 1), dry_run=False)
    assert report.lapsed["confirmed"] == 1
    dossier.refresh_from_db()
    assert (dossier.state, dossier.ending) == (S.CANCELLED_BY_OF, Ending.BY_ORGANISATION)
    assert balances(world.holder) == (eur("3000.00"), eur("500.00"))
    assert _refund(dossier) == eur("103.20")
    assert dossiers_lapse(now=paris("2026-03-21"), dry_run=False).total == 0  # a second run does nothing
    assert dossier.events.count() == 4
    assert_ledger_consistent(world.holder)


def test_a_restored_top_up_past_its_expiry_expires_at_once(file):
    world, dossier, earmarked, expiring = file
    TopUp.objects.filter(pk=expiring.pk).update(expires_on=day("2026-02-28"))
    services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-03-02"))
    assert _remaining(earmarked, expiring) == [eur("300.00"), eur("0.00")]
    assert balances(world.holder) == (eur("3000.00"), eur("300.00"))
    assert_ledger_consistent(world.holder)


def test_every_euro_of_a_settled_file_is_accounted_for(file):
    world, dossier, *_ = file
    services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-03-10"))
    d = Dossier.objects.get(pk=dossier.pk)
    assert d.funded_amount + d.card_amount == d.proposal_price
    assert d.restored_amount + d.forfeited_amount == d.funded_amount
    kept = d.forfeited_amount + d.card_amount - d.holder_refund
    assert d.organisation_amount <= kept
