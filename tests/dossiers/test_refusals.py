"""Bad input and moves out of turn: a clear refusal, the file unchanged, the money unchanged."""

import pytest
from django.core.exceptions import PermissionDenied

from opencpf.dossiers import services
from opencpf.dossiers.enums import DossierState, Refusal
from opencpf.dossiers.models import Dossier, DossierEvent, Payment, PaymentStatus
from opencpf.rights import services as rights
from opencpf.rights.enums import FunderKind
from opencpf.rights.models import Engagement, LedgerEntry
from tests.catalogue.factories import SessionFactory
from tests.dossiers.factories import (
    DECLINED_CARD,
    accept,
    assert_ledger_consistent,
    balances,
    day,
    eur,
    in_training,
    make_world,
    organisation_with_staff,
    paris,
    propose,
    register,
)

pytestmark = pytest.mark.django_db
S = DossierState


def snapshot(dossier):
    """Everything a refused action must leave as it was."""
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.state,
        d.updated_at,
        DossierEvent.objects.filter(dossier=d).count(),
        Engagement.objects.filter(dossier_id=d.pk).count(),
        LedgerEntry.objects.filter(holder_id=d.holder_id).count(),
        balances(d.holder),
    )


def test_registering_twice_for_a_session():
    world = make_world()
    register(world)
    with pytest.raises(services.DossierError) as refused:
        register(world)
    assert refused.value.code == Refusal.ALREADY_REGISTERED
    assert str(refused.value)  # a message for the holder
    assert Dossier.objects.filter(holder=world.holder).count() == 1


def test_registering_again_after_a_refusal_is_allowed():
    world = make_world()
    first = register(world)
    services.dossier_refuse(dossier_id=first.pk, user=world.staff, reason="Full", now=paris("2026-02-03"))
    second = register(world, at="2026-02-04")
    assert second.pk != first.pk and second.state == S.SUBMITTED


def test_a_sixth_open_request_for_one_training():
    world = make_world()
    sessions = [world.session] + [
        SessionFactory(offer=world.offer, start_date=day("2026-04-06"), end_date=day("2026-04-10")) for _ in range(5)
    ]
    for session in sessions[:5]:
        register(world, session=session)
    with pytest.raises(services.DossierError) as refused:
        register(world, session=sessions[5])
    assert refused.value.code == Refusal.TOO_MANY_OPEN_REQUESTS
    assert Dossier.objects.filter(holder=world.holder).count() == 5
    # Another training is still possible.
    other = SessionFactory(start_date=day("2026-04-06"), end_date=day("2026-04-10"))
    services.dossier_register(user=world.user, session_id=other.pk, now=paris("2026-02-02"))


def test_accepting_after_the_deadline():
    world = make_world()
    dossier = register(world)
    propose(world, dossier, at="2026-02-03")  # accept by Monday 9 February
    before = snapshot(dossier)
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier, at="2026-02-10")
    assert refused.value.code == Refusal.DEADLINE_PASSED
    assert snapshot(dossier) == before
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_paying_with_a_declined_card():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    before = snapshot(dossier)
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier, card=DECLINED_CARD)
    assert refused.value.status == 402 and refused.value.code == "card_declined"
    assert refused.value.errors["card"][0]
    assert snapshot(dossier) == before
    attempt = Payment.objects.get(dossier=dossier)  # the attempt is kept, it moved nothing
    assert attempt.status == PaymentStatus.DECLINED and attempt.card_last4 == "0002"
    assert_ledger_consistent(world.holder)


def test_declaring_exit_before_entry():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    before = snapshot(dossier)
    with pytest.raises(services.DossierError) as refused:
        services.dossier_declare_exit(
            dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20")
        )
    assert refused.value.status == 409
    assert refused.value.code == "entry_not_declared" and str(refused.value)
    assert snapshot(dossier) == before


def test_an_organisation_acting_on_another_organisations_file():
    world = make_world()
    dossier = register(world)
    _other, stranger = organisation_with_staff()
    before = snapshot(dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_propose(
            dossier_id=dossier.pk, user=stranger, price="100.00", start=day("2026-03-16"), end=day("2026-03-20")
        )
    with pytest.raises(PermissionDenied):
        services.dossier_refuse(dossier_id=dossier.pk, user=stranger, reason="No")
    with pytest.raises(PermissionDenied):
        services.dossier_cancel(dossier_id=dossier.pk, user=stranger, reason="No")
    assert snapshot(dossier) == before


def test_an_organisation_cannot_act_as_the_holder_nor_the_holder_as_the_organisation():
    world = make_world()
    dossier = register(world)
    with pytest.raises(PermissionDenied):
        services.dossier_propose(dossier_id=dossier.pk, user=world.user, price="100.00")
    propose(world, dossier)
    with pytest.raises(PermissionDenied):
        services.dossier_accept(dossier_id=dossier.pk, user=world.staff, now=paris("2026-02-04"))
    assert Dossier.objects.get(pk=dossier.pk).state == S.PROPOSED


def test_a_proposal_must_start_eleven_business_days_later_at_a_published_price_or_less():
    world = make_world()
    dossier = register(world)
    before = snapshot(dossier)
    with pytest.raises(services.DossierError) as refused:
        propose(world, dossier, at="2026-02-03", start=day("2026-02-17"), end=day("2026-02-20"))
    assert refused.value.status == 400
    assert "18\xa0février 2026" in refused.value.errors["start"][0]  # 11 business days after Tuesday 3 February
    with pytest.raises(services.DossierError) as refused:
        propose(world, dossier, price="1500.00")
    assert "price" in refused.value.errors
    with pytest.raises(services.DossierError) as refused:
        propose(world, dossier, price="0")
    assert "price" in refused.value.errors
    with pytest.raises(services.DossierError) as refused:
        propose(world, dossier, price="abc")
    assert "price" in refused.value.errors
    with pytest.raises(services.DossierError) as refused:
        propose(world, dossier, start=day("2026-03-20"), end=day("2026-03-16"))
    assert "end" in refused.value.errors
    assert snapshot(dossier) == before
    propose(world, dossier, at="2026-02-03", start=day("2026-02-18"), end=day("2026-02-20"))


def test_a_request_cannot_be_answered_after_its_deadline():
    world = make_world()
    dossier = register(world, at="2026-02-02")  # answer by Wednesday 4 February
    with pytest.raises(services.DossierError) as refused:
        propose(world, dossier, at="2026-02-05")
    assert refused.value.code == Refusal.DEADLINE_PASSED
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED


def test_a_refusal_needs_a_reason():
    world = make_world()
    dossier = register(world)
    with pytest.raises(services.DossierError) as refused:
        services.dossier_refuse(dossier_id=dossier.pk, user=world.staff, reason="  ")
    assert "reason" in refused.value.errors
    assert Dossier.objects.get(pk=dossier.pk).state == S.SUBMITTED


def test_the_amounts_changed_since_the_holder_saw_them():
    world = make_world(price="1200.00", acquired="3000.00")
    dossier = register(world)
    propose(world, dossier)
    before = snapshot(dossier)
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier, expected_card_amount=eur("0.00"))
    assert refused.value.code == "funding_changed" and "103.20" in str(refused.value)
    assert snapshot(dossier) == before


def test_a_closed_account_cannot_register_nor_accept():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    rights.account_close(holder=world.holder, reason="retirement", on_date=day("2026-02-03"))
    world.holder.refresh_from_db()
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier)
    assert refused.value.code == Refusal.ACCOUNT_CLOSED
    other = SessionFactory(start_date=day("2026-04-06"), end_date=day("2026-04-10"))
    with pytest.raises(services.DossierError) as refused:
        services.dossier_register(user=world.user, session_id=other.pk, now=paris("2026-02-04"))
    assert refused.value.code == Refusal.ACCOUNT_CLOSED


def test_a_session_already_started_or_unknown_cannot_be_registered_for():
    world = make_world(start="2026-03-16", end="2026-03-20")
    with pytest.raises(services.DossierError) as refused:
        register(world, at="2026-03-17")
    assert "session_id" in refused.value.errors
    with pytest.raises(services.DossierError):
        services.dossier_register(user=world.user, session_id=987654, now=paris("2026-02-02"))


def test_abandonment_and_exit_inputs_are_checked():
    world = make_world()
    dossier = in_training(world)
    before = snapshot(dossier)
    for bad in ("-1", "101", "abc", "12.345"):
        with pytest.raises(services.DossierError) as refused:
            services.dossier_declare_abandonment(
                dossier_id=dossier.pk, user=world.staff, attendance_percent=bad, reason="x", now=paris("2026-03-18")
            )
        assert "attendance_percent" in refused.value.errors
        with pytest.raises(services.DossierError) as refused:
            services.dossier_declare_exit(
                dossier_id=dossier.pk, user=world.staff, completion_percent=bad, now=paris("2026-03-20")
            )
        assert "completion_percent" in refused.value.errors
    assert snapshot(dossier) == before


def test_the_holder_cannot_cancel_once_in_training():
    world = make_world()
    dossier = in_training(world)
    with pytest.raises(services.DossierError) as refused:
        services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-03-17"))
    assert refused.value.status == 409


def test_an_employer_top_up_exempts_from_the_contribution():
    world = make_world(price="1200.00", acquired="1000.00")
    rights.topup_add(
        holder=world.holder,
        amount=eur("300.00"),
        funder_kind=FunderKind.EMPLOYER,
        funder_name="Boulangerie Dupont",
        on_date=day("2025-01-02"),
    )
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    dossier.refresh_from_db()
    assert dossier.contribution_exemption == "employer_cofunded"
    assert (dossier.funded_amount, dossier.card_amount, dossier.shortfall) == (
        eur("1200.00"),
        eur("0.00"),
        eur("0.00"),
    )
    assert balances(world.holder) == (eur("100.00"), eur("0.00"))


def test_a_shortfall_is_paid_by_card_with_the_contribution():
    world = make_world(price="1200.00", acquired="500.00")
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    dossier.refresh_from_db()
    assert (dossier.funded_amount, dossier.contribution_due, dossier.shortfall, dossier.card_amount) == (
        eur("500.00"),
        eur("103.20"),
        eur("596.80"),
        eur("700.00"),
    )
    assert balances(world.holder) == (eur("0.00"), eur("0.00"))
