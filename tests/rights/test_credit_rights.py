"""`manage.py credit_rights --year N`: everyone's credit in bulk, same result as the rules, re-runnable."""

import datetime
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencpf.accounts.enums import ClosureReason
from opencpf.rights import crediting, rules, services
from opencpf.rights.enums import FunderKind, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount
from opencpf.rights.selectors import rights_history
from tests.accounts.factories import HolderFactory
from tests.rights.factories import EmploymentDeclarationFactory, SelfEmployedDeclarationFactory

D = Decimal
YEAR = 2025
TODAY = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def run(year=YEAR, **options):
    out = StringIO()
    options.setdefault("wet_run", True)
    call_command("credit_rights", year=year, stdout=out, **options)
    return out.getvalue()


def credit_of(holder, year=YEAR):
    entry = LedgerEntry.objects.filter(holder=holder, kind=MovementKind.YEARLY_CREDIT, year=year).first()
    return entry.amount if entry else None


def acquired(holder):
    return RightsAccount.objects.get(pk=holder.pk).acquired


def test_credits_every_case_of_the_law():
    full = EmploymentDeclarationFactory().holder
    part = EmploymentDeclarationFactory(hours_worked=D("800")).holder
    several = HolderFactory()
    EmploymentDeclarationFactory(holder=several, hours_worked=D("300"))
    EmploymentDeclarationFactory(holder=several, hours_worked=D("600"))
    counted = EmploymentDeclarationFactory(hours_worked=D("300"), maternity_hours=D("600")).holder
    not_counted = EmploymentDeclarationFactory(hours_worked=D("300"), sick_leave_hours=D("600")).holder
    agreed = EmploymentDeclarationFactory(hours_worked=D("350"), reference_hours=D("1400")).holder
    mixed_references = HolderFactory()
    EmploymentDeclarationFactory(holder=mixed_references, hours_worked=D("300"), reference_hours=D("1500"))
    EmploymentDeclarationFactory(holder=mixed_references, hours_worked=D("200"), reference_hours=D("1000"))
    low = EmploymentDeclarationFactory(holder=HolderFactory(low_qualified=True)).holder
    disabled_part = EmploymentDeclarationFactory(holder=HolderFactory(disabled=True), hours_worked=D("800")).holder
    self_employed = SelfEmployedDeclarationFactory(months=7).holder
    unpaid = SelfEmployedDeclarationFactory(contribution_paid=False).holder
    both = SelfEmployedDeclarationFactory(months=12).holder
    EmploymentDeclarationFactory(holder=both)
    job_seeker = HolderFactory(job_seeker=True)
    other_year = EmploymentDeclarationFactory(year=2024).holder

    output = run()

    assert credit_of(full) == D("500.00")
    assert credit_of(part) == D("248.92")
    assert credit_of(several) == D("500.00")
    assert credit_of(counted) == D("500.00")
    assert credit_of(not_counted) == D("93.35")  # 500 × 300 / 1607 = 93.3416… rounded up
    assert credit_of(agreed) == D("125.00")
    assert credit_of(mixed_references) == D("200.00")
    assert credit_of(low) == D("800.00")
    assert credit_of(disabled_part) == D("398.26")
    assert credit_of(self_employed) == D("291.67")
    assert credit_of(unpaid) == D("0.00")
    assert credit_of(both) == D("500.00")
    assert credit_of(job_seeker) is None and credit_of(other_year) is None
    assert acquired(part) == D("248.92")
    assert "12 holders credited" in output and "holders/s" in output


def test_caps_apply_and_top_ups_do_not_count():
    near = EmploymentDeclarationFactory().holder
    RightsAccount.objects.create(holder=near, acquired=D("4800"), cap=D("5000"))
    full = EmploymentDeclarationFactory().holder
    RightsAccount.objects.create(holder=full, acquired=D("5000"), cap=D("5000"))
    priority = EmploymentDeclarationFactory(holder=HolderFactory(low_qualified=True)).holder
    RightsAccount.objects.create(holder=priority, acquired=D("7500"), cap=D("8000"))
    with_top_ups = EmploymentDeclarationFactory().holder
    services.topup_add(holder=with_top_ups, amount=D("3000"), funder_kind=FunderKind.EMPLOYER, funder_name="ACME")
    run()
    assert (credit_of(near), acquired(near)) == (D("200.00"), D("5000.00"))
    assert (credit_of(full), acquired(full)) == (D("0.00"), D("5000.00"))
    assert (credit_of(priority), acquired(priority)) == (D("500.00"), D("8000.00"))
    account = RightsAccount.objects.get(pk=with_top_ups.pk)
    assert (account.acquired, account.top_ups) == (D("500.00"), D("3000.00"))


def test_rights_keep_accruing_for_a_holder_living_abroad():
    holder = EmploymentDeclarationFactory(holder=HolderFactory(abroad=True)).holder
    run()
    assert credit_of(holder) == D("500.00")


def test_closed_accounts_are_skipped():
    holder = EmploymentDeclarationFactory().holder
    services.account_close(holder=holder, reason=ClosureReason.DEATH, on_date=TODAY)
    run()
    assert credit_of(holder) is None


def test_second_run_changes_nothing():
    holders = [EmploymentDeclarationFactory(hours_worked=D(h)).holder for h in ("100", "900", "1607")]
    run()
    before = list(LedgerEntry.objects.order_by("id").values_list("id", "amount"))
    balances = list(RightsAccount.objects.order_by("pk").values_list("pk", "acquired", "updated_at"))
    output = run()
    assert "0 holders credited" in output
    assert list(LedgerEntry.objects.order_by("id").values_list("id", "amount")) == before
    assert list(RightsAccount.objects.order_by("pk").values_list("pk", "acquired", "updated_at")) == balances
    assert len(before) == len(holders)


def test_dry_by_default_counts_what_the_wet_run_writes():
    for hours in ("100", "900", "1607"):
        EmploymentDeclarationFactory(hours_worked=D(hours))
    balances = list(RightsAccount.objects.order_by("pk").values_list("pk", "acquired"))
    output = run(wet_run=False)
    assert "3 holders would be credited (dry run" in output
    assert not LedgerEntry.objects.exists()
    assert list(RightsAccount.objects.order_by("pk").values_list("pk", "acquired")) == balances
    assert "3 holders credited" in run()
    assert LedgerEntry.objects.count() == 3


def test_a_stopped_run_resumes_where_it_stopped():
    holders = [EmploymentDeclarationFactory().holder for _ in range(5)]
    ids = sorted(h.pk for h in holders)
    crediting.credit_chunk(YEAR, ids[0], ids[1], TODAY)  # as if stopped after the first chunk
    assert LedgerEntry.objects.count() == 2
    output = run(chunk_size=2)
    assert "3 holders credited" in output
    assert all(credit_of(h) == D("500.00") for h in holders)


def test_future_year_and_years_without_law_are_refused():
    with pytest.raises(CommandError, match="future"):
        run(year=TODAY.year + 5)
    with pytest.raises(CommandError, match="No legal values"):
        run(year=2017)


def test_batch_agrees_with_the_rules_and_the_service_for_random_holders():
    generator = random.Random(20260302)
    holders, opening = [], {}
    for _index in range(60):
        holder = HolderFactory(low_qualified=generator.random() < 0.2, disabled_worker=generator.random() < 0.1)
        cap = D("8000") if holder.low_qualified or holder.disabled_worker else D("5000")
        if generator.random() < 0.5:
            balance = generator.choice([D(0), cap, cap - D("0.01"), D(generator.randint(0, int(cap) * 100)) / 100])
            RightsAccount.objects.create(holder=holder, acquired=balance, cap=cap)
        opening[holder.pk] = RightsAccount.objects.filter(pk=holder.pk).values_list("acquired", flat=True).first()
        for _ in range(generator.choice([0, 1, 1, 2, 3])):
            EmploymentDeclarationFactory(
                holder=holder,
                hours_worked=D(generator.randint(0, 180_000)) / 100,
                reference_hours=generator.choice([D("1607"), D("1607"), D("1500")]),
                maternity_hours=generator.choice([D(0), D(0), D(generator.randint(0, 40_000)) / 100]),
                sick_leave_hours=generator.choice([D(0), D(generator.randint(0, 40_000)) / 100]),
            )
        if generator.random() < 0.25:
            SelfEmployedDeclarationFactory(
                holder=holder, months=generator.randint(1, 12), contribution_paid=generator.random() < 0.8
            )
        holders.append(holder)
    expected = {}
    for holder in holders:
        employments, activity = services.declarations_for(holder.pk, YEAR)
        if employments or activity:
            expected[holder.pk] = rules.yearly_credit(
                year=YEAR,
                employments=employments,
                self_employment=activity,
                low_qualified=holder.low_qualified,
                disabled_worker=holder.disabled_worker,
                balance=opening[holder.pk] or D(0),
            ).credit
    assert len(expected) > 30
    run(chunk_size=7)
    for holder in holders:
        assert credit_of(holder) == expected.get(holder.pk), holder.pk
        if holder.pk in expected:
            assert acquired(holder) == (opening[holder.pk] or D(0)) + expected[holder.pk]
    # The explanation of a batch credit is the rules' explanation.
    some = next(h for h in holders if expected.get(h.pk))
    item = next(i for i in rights_history(some) if i.kind == MovementKind.YEARLY_CREDIT)
    assert len(item.lines) >= 2 and all(line.references for line in item.lines)
    assert item.amount == expected[some.pk]
