"""The rights ledger reconciles over any period: opening + acquired + credited = balance + engaged + paid +
forfeited + expired, per bucket, and its closing positions agree with the accounts, the files' engagements and
the organisation payments. Kept over random lifecycles run through the real services."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.models import OrganisationPayment
from opencpf.rights import services as rights
from opencpf.rights.enums import Bucket, FunderKind, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount
from opencpf.rights.reconciliation import ledger_reconciliation
from tests.catalogue.factories import OfferFactory, SessionFactory
from tests.dossiers.factories import GOOD_CARD, day, make_world, paris

D = Decimal
euros = st.integers(min_value=100, max_value=200_000).map(lambda cents: D(cents).scaleb(-2))
ENDINGS = ["confirmed", "cancel_early", "cancel_late", "by_organisation", "no_show", "abandon", "exit", "lapse"]
setup = st.one_of(
    st.tuples(st.just("credit"), euros),
    st.tuples(st.just("top_up"), euros, st.sampled_from([None, "2026-03-31", "2027-01-31"]), st.booleans()),
)
lifecycle = st.tuples(
    st.just("file"),
    euros,
    st.sampled_from(ENDINGS),
    st.integers(min_value=0, max_value=100),  # attendance or completion, in percent
    st.booleans(),  # force majeure; organisation paid by an agent
)


def run_file(world, price, ending, percent, flag, index):
    offer = OfferFactory(organisation=world.organisation, price=price, certification=world.offer.certification)
    session = SessionFactory(offer=offer, start_date=day("2026-03-16"), end_date=day("2026-03-20"))
    dossier = services.dossier_register(user=world.user, session_id=session.pk, now=paris("2026-02-02"))
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price=str(price), now=paris("2026-02-03"))
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD, now=paris("2026-02-04"))
    staff = {"dossier_id": dossier.pk, "user": world.staff}
    if ending == "cancel_early":
        services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-02-10"))
    elif ending == "cancel_late":
        services.dossier_cancel(dossier_id=dossier.pk, user=world.user, now=paris("2026-03-12"))
    elif ending == "by_organisation":
        services.dossier_cancel(**staff, reason="Trainer ill", now=paris("2026-02-10"))
    elif ending == "no_show":
        services.dossier_declare_no_show(**staff, now=paris("2026-03-16"))
    elif ending in ("abandon", "exit"):
        services.dossier_declare_entry(**staff, now=paris("2026-03-16"))
        if ending == "abandon":
            services.dossier_declare_abandonment(
                **staff, attendance_percent=percent, reason="Left", force_majeure=flag, now=paris("2026-03-18")
            )
        else:
            services.dossier_declare_exit(**staff, completion_percent=percent, now=paris("2026-03-20", 17))
    if ending != "lapse" and flag:
        payment = OrganisationPayment.objects.filter(dossier=dossier).first()
        if payment is not None:
            services.organisation_payment_pay(payment_id=payment.pk, user=world.agent, now=paris("2026-03-24"))


def assert_reconciles(start, end, **kwargs):
    result = ledger_reconciliation(start=start, end=end, **kwargs)
    assert result.mismatches == ()
    for bucket in result.buckets:
        assert bucket.opening + bucket.acquired + bucket.credited == (
            bucket.balance + bucket.engaged + bucket.paid + bucket.forfeited + bucket.expired
        ), bucket
    return result


class ReconciliationOverLifecycles(TestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(setups=st.lists(setup, max_size=4), files=st.lists(lifecycle, min_size=1, max_size=4))
    def test_the_ledger_reconciles_over_random_lifecycles(self, setups, files):
        world = make_world(acquired=None)
        for op in setups:
            if op[0] == "credit":
                rows = LedgerEntry.objects.count()
                try:
                    rights.rights_correct(
                        agent=world.agent, holder=world.holder, amount=op[1], reason="test", on_date=day("2025-06-02")
                    )
                except rights.RightsError:  # only the cap refuses a credit here, and then nothing is written
                    account = RightsAccount.objects.get(holder=world.holder)
                    assert account.acquired + op[1] > account.cap
                    assert LedgerEntry.objects.count() == rows
            else:
                _kind, amount, expires, earmarked = op
                rights.topup_add(
                    holder=world.holder,
                    amount=amount,
                    funder_kind=FunderKind.REGION,
                    funder_name="Région",
                    earmark_certifications=[world.offer.certification.code] if earmarked else [],
                    expires_on=day(expires) if expires else None,
                    on_date=day("2025-06-02"),
                )
        for index, (_kind, price, ending, percent, flag) in enumerate(files):
            run_file(world, price, ending, percent, flag, index)
        dossiers_lapse(now=paris("2026-03-25"), dry_run=False)  # files never entered are settled (restored)
        rights.topups_expire(on_date=day("2026-04-01"))
        whole = assert_reconciles(day("2000-01-01"), day("2030-12-31"))
        assert all(bucket.opening == 0 for bucket in whole.buckets)
        # Any cut: the period after it opens with what the period before it closed with.
        before = assert_reconciles(day("2000-01-01"), day("2026-03-16"))
        after = assert_reconciles(day("2026-03-17"), day("2030-12-31"))
        for closed, opened in zip(before.buckets, after.buckets, strict=True):
            assert closed.balance + closed.engaged == opened.opening
        assert assert_reconciles(day("2000-01-01"), day("2030-12-31"), holder_id=world.holder.pk).balanced


pytestmark = pytest.mark.django_db


def test_a_payment_to_an_organisation_is_ledger_rows_linked_to_it():
    world = make_world(price="1000.00", acquired="3000.00")
    run_file(world, D("1000.00"), "exit", 100, True, 0)
    payment = OrganisationPayment.objects.get()
    rows = LedgerEntry.objects.filter(kind=MovementKind.PAYMENT)
    assert [(row.bucket, row.amount, row.organisation_payment_id) for row in rows] == [
        (Bucket.ACQUIRED, D("-896.80"), payment.pk)
    ]
    assert payment.from_rights == D("896.80") and payment.from_card == D("103.20")


def test_the_command_reads_and_says_when_the_ledger_does_not_reconcile(capsys):
    world = make_world(price="1000.00", acquired="3000.00")
    run_file(world, D("1000.00"), "exit", 100, False, 0)
    call_command("reconcile_ledger", "--from", "2026-01-01", "--to", "2026-12-31")
    out = capsys.readouterr().out
    assert "acquired" in out and "896.80" in out and "= balance + engaged" in out
    # A payment whose rights left no ledger row (as before issue 8) is found.
    OrganisationPayment.objects.update(from_rights=D("900.00"), from_card=D("100.00"))
    with pytest.raises(CommandError):
        call_command("reconcile_ledger", "--from", "2026-01-01", "--to", "2026-12-31")
    with pytest.raises(CommandError):
        call_command("reconcile_ledger", "--from", "2026-12-31", "--to", "2026-01-01")
