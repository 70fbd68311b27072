"""The journey of issue 9: register, accept and pay, then report, freeze, and confirm — every euro back in the
bucket it came from, to the cent (the top-up even though it expired meanwhile), the card refunded through the
provider, the ledger equation holding — or reject: the file goes on with its deadlines shifted."""

import datetime

import pytest
from django.utils import timezone

from opencpf.accounts.services import api_token_create
from opencpf.catalogue.models import Offer
from opencpf.dossiers import deadlines, services
from opencpf.dossiers.enums import DossierState, Ending
from opencpf.dossiers.models import Dossier, OrganisationPayment, Payment, PaymentKind, PaymentStatus
from opencpf.scams.enums import FreezeOutcome, ReportStatus
from opencpf.scams.models import Freeze, Report, Sanction
from opencpf.scams.services import review, sanctions
from opencpf.scams.services.reports import ReportError, report_file
from tests.dossiers.factories import (
    accept,
    assert_ledger_consistent,
    balances,
    day,
    eur,
    give_top_up,
    make_world,
    paris,
    propose,
    register,
)
from tests.scams.helpers import agent_token, make_agent

pytestmark = pytest.mark.django_db
S = DossierState


def test_report_freeze_confirm_restores_every_euro_and_refunds_the_card(client, api_client):
    world = make_world(price="1200.00")
    top_up = give_top_up(world.holder, "500.00", expires_on=day("2026-06-30"))
    start = balances(world.holder)
    assert start == (eur("3000.00"), eur("500.00"))

    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)  # 4 February 2026: the top-up first (order of use in force), then acquired rights
    dossier.refresh_from_db()
    assert dossier.state == S.CONFIRMED and dossier.card_amount == eur("103.20")
    assert balances(world.holder) == (eur("3000.00") - (eur("1096.80") - eur("500.00")), eur("0.00"))

    report = report_file(
        user=world.user,
        situation="registered_without_consent",
        description="Jamais demandé.",
        dossier_ids=[dossier.pk],
    ).report
    # Frozen: every move answers 409 `frozen`, on the API and in the services, for every side.
    holder_api = api_client.bearer(api_token_create(user=world.user)[0])
    refused = holder_api.post(f"/api/v1/dossiers/{dossier.pk}/cancel", {"reason": ""})
    assert refused.status_code == 409 and refused.json()["code"] == "frozen"
    assert holder_api.get(f"/api/v1/dossiers/{dossier.pk}").json()["frozen"] is True
    staff_api = api_client.bearer(api_token_create(user=world.staff)[0])
    refused = staff_api.post(f"/api/v1/dossiers/{dossier.pk}/declare-entry", {})
    assert refused.status_code == 409 and refused.json()["code"] == "frozen"
    with pytest.raises(services.DossierError) as error:
        services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    assert error.value.code == "frozen"
    # The deadline task leaves it alone even once its entry deadline has long passed.
    deadlines.dossiers_lapse(now=paris("2026-04-01"), dry_run=False)
    assert Dossier.objects.get(pk=dossier.pk).state == S.CONFIRMED

    agent = make_agent()
    agent_api = api_client.bearer(agent_token(client, agent))
    confirmed = agent_api.post(f"/api/v1/agent/reports/{report.pk}/confirm", {"note": "Organisme connu."})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == ReportStatus.CONFIRMED

    dossier.refresh_from_db()
    assert dossier.state == S.CANCELLED_FRAUD and dossier.ending == Ending.FRAUD and dossier.frozen_at is None
    assert (dossier.restored_amount, dossier.forfeited_amount) == (eur("1096.80"), eur("0.00"))
    assert (dossier.holder_refund, dossier.organisation_amount) == (eur("103.20"), eur("0.00"))
    # Every bucket is back at its starting value, to the cent; the top-up stays usable although it expired.
    assert balances(world.holder) == start
    top_up.refresh_from_db()
    assert top_up.remaining == eur("500.00") and top_up.expires_on >= timezone.localdate()
    assert_ledger_consistent(world.holder)
    refund = Payment.objects.get(dossier=dossier, kind=PaymentKind.REFUND)
    assert (refund.amount, refund.status) == (eur("103.20"), PaymentStatus.SUCCEEDED)
    assert refund.provider_reference  # through the payment provider (sandbox)
    assert not OrganisationPayment.objects.filter(dossier=dossier).exists()
    # The organisation is flagged.
    assert Sanction.objects.filter(organisation=world.organisation, level="observation").exists()
    # Confirming twice is refused.
    again = agent_api.post(f"/api/v1/agent/reports/{report.pk}/confirm", {"note": ""})
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_report_then_reject_releases_the_file_which_goes_on_with_shifted_deadlines():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    before = Dossier.objects.get(pk=dossier.pk)
    report = report_file(
        user=world.user, situation="registered_without_consent", description="x", dossier_ids=[dossier.pk]
    ).report
    frozen_on = paris("2026-02-05")
    Dossier.objects.filter(pk=dossier.pk).update(frozen_at=frozen_on)
    Freeze.objects.filter(report=report).update(frozen_at=frozen_on)
    agent = make_agent()
    review.report_reject(report_id=report.pk, agent=agent, reason="Le titulaire a bien demandé cette formation.")
    after = Dossier.objects.get(pk=dossier.pk)
    freeze = Freeze.objects.get(report=report)
    assert freeze.outcome == FreezeOutcome.RELEASED and after.frozen_at is None
    assert after.accept_before > before.accept_before and freeze.shifted_days > 0
    # It moves again: the holder accepts within the shifted deadline.
    accept(world, after, at=(after.accept_before - datetime.timedelta(days=1)).isoformat())
    assert Dossier.objects.get(pk=dossier.pk).state == S.CONFIRMED
    with pytest.raises(ReportError) as refused:
        review.report_confirm(report_id=report.pk, agent=agent)
    assert refused.value.code == "already_decided"
    assert Report.objects.get(pk=report.pk).status == ReportStatus.REJECTED


def test_a_frozen_completed_file_is_not_paid_and_a_confirmed_scam_holds_its_payment():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20")
    )
    report_file(user=world.user, situation="identity_shared", description="x", dossier_ids=[dossier.pk])
    payment = OrganisationPayment.objects.get(dossier=dossier)
    deadlines.dossiers_lapse(now=paris("2026-06-01"), dry_run=False)
    payment.refresh_from_db()
    assert payment.status == "due" and Dossier.objects.get(pk=dossier.pk).state == S.COMPLETED
    with pytest.raises(services.DossierError) as refused:
        services.organisation_payment_pay(payment_id=payment.pk, user=world.agent, now=paris("2026-06-01"))
    assert refused.value.code == "frozen"
    # Confirmed: the file was settled by its completion, so the organisation's payment is held for an agent.
    review.report_confirm(report_id=Report.objects.get().pk, agent=make_agent(), note="")
    payment.refresh_from_db()
    assert payment.status == "held" and Freeze.objects.get().outcome == FreezeOutcome.PAYMENT_HELD
    deadlines.dossiers_lapse(now=paris("2026-06-02"), dry_run=False)
    assert OrganisationPayment.objects.get(pk=payment.pk).status == "held"


def test_suspended_payments_are_held_by_the_task_and_released_when_lifted():
    world = make_world()
    dossier = register(world)
    propose(world, dossier)
    accept(world, dossier)
    services.dossier_declare_entry(dossier_id=dossier.pk, user=world.staff, now=paris("2026-03-16"))
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20")
    )
    agent = make_agent()
    sanction = sanctions.sanction_impose(
        organisation_id=world.organisation.pk, level="payments_suspended", reason="Enquête", agent=agent
    )
    deadlines.dossiers_lapse(now=paris("2026-06-01"), dry_run=False)
    assert OrganisationPayment.objects.get(dossier=dossier).status == "due"
    sanctions.sanction_lift(sanction_id=sanction.pk, agent=agent, reason="Enquête close")
    deadlines.dossiers_lapse(now=paris("2026-06-02"), dry_run=False)
    assert OrganisationPayment.objects.get(dossier=dossier).status == "paid"
    assert Dossier.objects.get(pk=dossier.pk).state == S.PAID


def test_a_delisted_offer_takes_no_new_file():
    world = make_world()
    sanctions.sanction_impose(
        organisation_id=world.organisation.pk,
        level="partial_delisting",
        reason="Offre trompeuse",
        offer_ids=[world.offer.pk],
        agent=make_agent(),
    )
    assert Offer.objects.get(pk=world.offer.pk).delisted_at is not None
    with pytest.raises(services.DossierError) as refused:
        register(world)
    assert refused.value.status == 400 and "session_id" in refused.value.errors
    assert not Dossier.objects.filter(holder=world.holder).exists()
