"""The organisation is paid by the periodic task on the due date (earlier once the holder confirms), never while
its payments are suspended nor when the holder says the training did not take place; emails go to both sides in
each recipient's language."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from opencpf.accounts.models import User
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Organisation
from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier, OrganisationPayment, Payment, PaymentKind, PaymentStatus
from opencpf.dossiers.payments import SandboxCardProvider
from tests.dossiers.factories import (
    DECLINED_CARD,
    GOOD_CARD,
    accept,
    day,
    in_training,
    make_world,
    paris,
    propose,
    register,
)

pytestmark = pytest.mark.django_db
S = DossierState


def completed(world):
    dossier = in_training(world)
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20", 17)
    )
    return OrganisationPayment.objects.get(dossier=dossier)


def test_paid_on_the_due_date_at_the_latest():
    world = make_world()
    payment = completed(world)
    assert payment.due_on == day("2026-04-19")
    assert dossiers_lapse(now=paris("2026-04-18"), dry_run=False).paid == 0
    assert dossiers_lapse(now=paris("2026-04-19"), dry_run=False).paid == 1
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.reference.startswith("OPENCPF-20260419-")
    assert Dossier.objects.get(pk=payment.dossier_id).state == S.PAID
    assert dossiers_lapse(now=paris("2026-04-20"), dry_run=False).paid == 0  # once


def test_not_paid_while_payments_are_suspended():
    world = make_world()
    payment = completed(world)
    Organisation.objects.filter(pk=world.organisation.pk).update(status=OrganisationStatus.PAYMENTS_SUSPENDED)
    assert dossiers_lapse(now=paris("2026-04-19"), dry_run=False).paid == 0
    with pytest.raises(services.DossierError):
        services.organisation_payment_pay(payment_id=payment.pk, user=world.agent, now=paris("2026-04-19"))
    assert OrganisationPayment.objects.get(pk=payment.pk).status == "due"


def test_held_when_the_holder_says_it_did_not_take_place():
    world = make_world()
    payment = completed(world)
    services.dossier_evaluate(
        dossier_id=payment.dossier_id, user=world.user, took_place=False, now=paris("2026-03-21")
    )
    assert OrganisationPayment.objects.get(pk=payment.pk).status == "held"
    assert dossiers_lapse(now=paris("2026-04-19"), dry_run=False).paid == 0
    with pytest.raises(PermissionDenied):
        services.organisation_payment_pay(payment_id=payment.pk, user=world.staff)
    services.organisation_payment_pay(payment_id=payment.pk, user=world.agent, now=paris("2026-04-02"))
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.paid_by == world.agent
    dossier = Dossier.objects.get(pk=payment.dossier_id)
    assert dossier.state == S.PAID and dossier.events.latest("id").actor_kind == "agent"


def test_paid_early_once_the_holder_confirms():
    world = make_world()
    payment = completed(world)
    services.dossier_evaluate(
        dossier_id=payment.dossier_id,
        user=world.user,
        took_place=True,
        ratings={"welcome": 4, "content": 4, "trainers": 4, "resources": 4, "support": 4},
        now=paris("2026-03-21"),
    )
    assert dossiers_lapse(now=paris("2026-03-22"), dry_run=False).paid == 1


def test_evaluation_only_after_the_end_and_once():
    world = make_world()
    dossier = in_training(world)
    with pytest.raises(services.DossierError):
        services.dossier_evaluate(dossier_id=dossier.pk, user=world.user, took_place=True, now=paris("2026-03-18"))
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20", 17)
    )
    with pytest.raises(services.DossierError) as refused:
        services.dossier_evaluate(
            dossier_id=dossier.pk, user=world.user, took_place=True, ratings={"welcome": 9}, now=paris("2026-03-21")
        )
    assert refused.value.status == 400 and "content" in refused.value.errors
    services.dossier_evaluate(dossier_id=dossier.pk, user=world.user, took_place=False, now=paris("2026-03-21"))
    with pytest.raises(services.DossierError):
        services.dossier_evaluate(dossier_id=dossier.pk, user=world.user, took_place=False, now=paris("2026-03-22"))


def test_emails_in_each_recipients_language(django_capture_on_commit_callbacks):
    world = make_world()
    User.objects.filter(pk=world.user.pk).update(language="en")
    User.objects.filter(pk=world.staff.pk).update(language="fr")
    world.holder.user.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = register(world)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    holder_mail, staff_mail = by_recipient[world.user.email], by_recipient[world.staff.email]
    assert holder_mail.body.startswith("Hello,") and world.offer.title in holder_mail.subject
    assert staff_mail.body.startswith("Bonjour,") and str(dossier.pk) in staff_mail.subject
    assert f"/dossiers/{dossier.pk}/" in holder_mail.body
    assert f"/dossiers/organisme/{dossier.pk}/" in staff_mail.body
    assert world.holder.full_name in staff_mail.body
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_refuse(dossier_id=dossier.pk, user=world.staff, reason="Complet", now=paris("2026-02-03"))
    assert {m.to[0] for m in mail.outbox} == {world.user.email, world.staff.email}
    assert all("Complet" in m.body for m in mail.outbox)


class KeyRecordingProvider(SandboxCardProvider):
    """The sandbox card network, remembering the idempotency keys it is sent (a real provider replays the first
    answer given to a key, so each attempt needs its own)."""

    def __init__(self):
        self.keys: list[str] = []

    def charge(self, *, amount, card, description, idempotency_key):
        self.keys.append(idempotency_key)
        return super().charge(amount=amount, card=card, description=description, idempotency_key=idempotency_key)


def test_a_retry_after_a_declined_card_is_a_new_charge():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    provider = KeyRecordingProvider()
    with pytest.raises(services.DossierError):
        accept(world, dossier, card=DECLINED_CARD, provider=provider)
    accept(world, dossier, card=GOOD_CARD, provider=provider)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.CONFIRMED
    assert len(provider.keys) == 2 and len(set(provider.keys)) == 2


class ReplayingProvider(SandboxCardProvider):
    """FAKE of a real card network (none exists here): like real providers, it answers a key it has already seen
    with its first answer, and remembers which charges were refunded. `during_first_charge` runs while the first
    charge is in flight (the network is slow), to let the test change the file meanwhile."""

    def __init__(self, during_first_charge=None):
        self.answers: dict[str, object] = {}
        self.refunded: set[str] = set()
        self.during_first_charge = during_first_charge

    def charge(self, *, amount, card, description, idempotency_key):
        if idempotency_key in self.answers:
            return self.answers[idempotency_key]
        answer = super().charge(amount=amount, card=card, description=description, idempotency_key=idempotency_key)
        self.answers[idempotency_key] = answer
        if self.during_first_charge is not None:
            hook, self.during_first_charge = self.during_first_charge, None
            hook()
        return answer

    def refund(self, *, charge_reference, amount, idempotency_key):
        self.refunded.add(charge_reference)
        return super().refund(charge_reference=charge_reference, amount=amount, idempotency_key=idempotency_key)


def test_a_retry_after_a_rolled_back_charge_is_a_new_charge():
    """The first acceptance is charged, then rolled back (the file changed while the card network answered) and
    the charge refunded. The retry must be charged anew, not answered with the refunded charge."""
    world = make_world(acquired="500.00")
    dossier = register(world)
    propose(world, dossier)

    def the_file_changes_meanwhile():
        Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.PROPOSAL_EXPIRED)

    provider = ReplayingProvider(during_first_charge=the_file_changes_meanwhile)
    with pytest.raises(services.DossierError) as refused:
        accept(world, dossier, provider=provider)
    assert refused.value.code == "changed" and len(provider.refunded) == 1
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.PROPOSED  # nothing half-written
    accept(world, dossier, provider=provider)
    paid = Payment.objects.get(dossier=dossier, kind=PaymentKind.CHARGE, status=PaymentStatus.SUCCEEDED)
    assert paid.provider_reference not in provider.refunded
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.CONFIRMED


def test_the_dry_run_counts_the_payments_the_wet_run_makes():
    """The dry run announces exactly what the wet run then pays: a payment not yet due but confirmed by the holder
    is paid early; a due payment of a suspended organisation is not."""
    early, suspended, due = make_world(), make_world(), make_world()
    payment = completed(early)
    services.dossier_evaluate(
        dossier_id=payment.dossier_id,
        user=early.user,
        took_place=True,
        ratings={"welcome": 4, "content": 4, "trainers": 4, "resources": 4, "support": 4},
        now=paris("2026-03-21"),
    )
    dry = dossiers_lapse(now=paris("2026-03-22"), dry_run=True)
    wet = dossiers_lapse(now=paris("2026-03-22"), dry_run=False)
    assert dry.paid == wet.paid == 1
    completed(suspended)
    Organisation.objects.filter(pk=suspended.organisation.pk).update(status=OrganisationStatus.PAYMENTS_SUSPENDED)
    completed(due)
    OrganisationPayment.objects.filter(status="due").update(due_on=day("2026-03-25"))
    dry = dossiers_lapse(now=paris("2026-03-26"), dry_run=True)
    wet = dossiers_lapse(now=paris("2026-03-26"), dry_run=False)
    assert dry.paid == wet.paid == 1
