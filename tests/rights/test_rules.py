"""DESIGN §2.1 rule by rule, on the pure functions (no database)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opencpf.rights.enums import AbsenceKind
from opencpf.rights.rules import (
    CentsRule,
    Employment,
    SelfEmployment,
    round_up_to_cent,
    yearly_credit,
)

D = Decimal
YEAR = 2025


def credit(**kwargs):
    return yearly_credit(year=YEAR, **kwargs)


def employee(hours, reference=None, **absences):
    return Employment(hours_worked=D(hours), reference_hours=D(reference) if reference else None, absences=absences)


def all_text(result):
    return " ".join(line.text for line in result.lines)


def test_half_time_or_more_earns_500():
    assert credit(employments=[employee("803.5")]).credit == D("500.00")  # exactly half of 1607
    assert credit(employments=[employee("1607")]).credit == D("500.00")
    assert credit(employments=[employee("2100")]).credit == D("500.00")  # overtime earns no more


def test_below_half_is_pro_rata_rounded_up_to_the_cent():
    # 500 × 800 / 1607 = 248.9110… : the law rounds UP to the next cent (R6323-1 II).
    result = credit(employments=[employee("800")])
    assert result.credit == D("248.92")
    assert "248.92" in all_text(result) and "rounded up" in all_text(result)
    assert any("R6323-1" in line.reference for line in result.lines)


def test_rounding_up_only_when_there_are_more_decimals():
    assert round_up_to_cent(Fraction(24892, 100)) == D("248.92")
    assert round_up_to_cent(Fraction(248920001, 1000000)) == D("248.93")
    assert credit(employments=[employee("160.7")]).credit == D("50.00")  # exactly 500 × 0.1
    assert credit(employments=[employee("1")]).credit == D("0.32")  # 0.3111… → 0.32


def test_just_below_half():
    # 803.49 h is below half of 1 607 h: 500 × 803.49 / 1607 = 249.9906… → 250.00, not 500.
    assert credit(employments=[employee("803.49")]).credit == D("250.00")


def test_agreed_reference_duration():
    result = credit(employments=[employee("700", reference="1400")])
    assert result.credit == D("500.00")  # 700 is half of 1 400
    assert credit(employments=[employee("350", reference="1400")]).credit == D("125.00")


def test_low_qualified_or_disabled_worker_earns_800_with_the_same_pro_rata():
    assert credit(employments=[employee("1607")], low_qualified=True).credit == D("800.00")
    assert credit(employments=[employee("1607")], disabled_worker=True).credit == D("800.00")
    result = credit(employments=[employee("800")], disabled_worker=True)
    assert result.credit == D("398.26")  # 800 × 800 / 1607 = 398.2576…
    assert any("D6323-3-3" in line.reference for line in result.lines)
    assert any("R6323-3-1" in line.reference for line in credit(employments=[employee("1")], low_qualified=True).lines)


def test_cap_5000_and_partial_credit_near_the_cap():
    assert credit(employments=[employee("1607")], balance=D("4800")).credit == D("200.00")
    full = credit(employments=[employee("1607")], balance=D("5000"))
    assert full.credit == D("0.00") and full.new_balance == D("5000.00")
    assert "cap" in all_text(full)


def test_cap_8000_for_priority_groups():
    result = credit(employments=[employee("1607")], low_qualified=True, balance=D("7500"))
    assert (result.credit, result.cap, result.new_balance) == (D("500.00"), D("8000.00"), D("8000.00"))
    assert credit(employments=[employee("1607")], low_qualified=True, balance=D("4900")).credit == D("800.00")


def test_a_balance_above_the_cap_never_gives_a_negative_credit():
    result = credit(employments=[employee("1607")], balance=D("6000"))
    assert result.credit == D("0.00") and result.new_balance == D("6000.00")


@pytest.mark.parametrize(
    "kind", ["maternity", "paternity", "adoption", "parental_leave", "carer", "work_accident", "occupational_disease"]
)
def test_absences_that_count_as_worked(kind):
    result = credit(employments=[employee("400", **{kind: D("500")})])
    assert result.credit == D("500.00")  # 400 + 500 ≥ 803.5
    assert any("L6323-12" in line.reference for line in result.lines)


@pytest.mark.parametrize("kind", ["sick_leave", "partial_activity"])
def test_absences_that_do_not_count(kind):
    result = credit(employments=[employee("400", **{kind: D("500")})])
    assert result.credit == D("124.46")  # 500 × 400 / 1607 = 124.4555…
    assert "do not count" in all_text(result)


def test_several_employers_add_up():
    assert credit(employments=[employee("500"), employee("400")]).credit == D("500.00")
    result = credit(employments=[employee("300"), employee("200")])
    assert result.credit == D("155.57")  # 500 × 500 / 1607 = 155.5694…
    assert "2 employer" in all_text(result)


def test_several_employers_with_different_reference_durations():
    # 300/1500 + 200/1000 = 0.4 of a full year → 200.00
    assert credit(employments=[employee("300", "1500"), employee("200", "1000")]).credit == D("200.00")


def test_self_employed_full_year_and_months():
    assert credit(self_employment=SelfEmployment(months=12)).credit == D("500.00")
    result = credit(self_employment=SelfEmployment(months=7))
    assert result.credit == D("291.67")  # 500 × 7 / 12 = 291.666…
    assert any("R6323-22" in line.reference for line in result.lines)
    assert credit(self_employment=SelfEmployment(months=1)).credit == D("41.67")


def test_self_employed_without_contribution_earns_nothing():
    assert credit(self_employment=SelfEmployment(months=12, contribution_paid=False)).credit == D("0.00")


def test_employed_and_self_employed_the_same_year_within_one_yearly_amount():
    assert credit(employments=[employee("400")], self_employment=SelfEmployment(months=6)).credit == D("374.46")
    both = credit(employments=[employee("1607")], self_employment=SelfEmployment(months=12))
    assert both.credit == D("500.00")
    assert "Several activities" in all_text(both)


def test_job_seeker_accrues_nothing_and_keeps_rights():
    result = credit(job_seeker=True, balance=D("1200"))
    assert (result.credit, result.new_balance) == (D("0.00"), D("1200.00"))
    assert "keep" in all_text(result)
    assert any("L6323-3" in line.reference for line in result.lines)


def test_every_line_cites_a_legal_reference():
    results = [
        credit(employments=[employee("800", sick_leave=D("10"), maternity=D("10"))], balance=D("4900")),
        credit(self_employment=SelfEmployment(months=7), low_qualified=True, disabled_worker=True),
        credit(job_seeker=True),
    ]
    for result in results:
        for line in result.lines:
            assert line.references and all(ref.href.startswith("https://") for ref in line.references)


hours = st.decimals(min_value=0, max_value=3000, places=2)
references = st.sampled_from([None, D("1607"), D("1600"), D("1400"), D("1820.5")])
absences = st.dictionaries(st.sampled_from(AbsenceKind.values), st.decimals(min_value=0, max_value=900, places=2))


@given(
    employments=st.lists(st.builds(Employment, hours_worked=hours, reference_hours=references, absences=absences)),
    months=st.one_of(st.none(), st.integers(1, 12)),
    paid=st.booleans(),
    priority=st.booleans(),
    balance=st.decimals(min_value=0, max_value=9000, places=2),
)
def test_the_batch_integer_rule_always_agrees_with_the_explained_rule(employments, months, paid, priority, balance):
    explained = yearly_credit(
        year=YEAR,
        employments=employments,
        self_employment=SelfEmployment(months, paid) if months else None,
        low_qualified=priority,
        balance=balance,
    )
    rule = CentsRule.for_year(YEAR)
    accrued = 0
    if employments:
        reference_set = {int((e.reference_hours or D(1607)) * 100) for e in employments}
        counted = [
            int(
                (
                    e.hours_worked
                    + sum((h for k, h in e.absences.items() if k not in ("sick_leave", "partial_activity")), D(0))
                )
                * 100
            )
            for e in employments
        ]
        if len(reference_set) == 1:
            accrued = rule.employee(priority, sum(counted), reference_set.pop())
        else:
            share = sum(
                (
                    Fraction(c, int((e.reference_hours or D(1607)) * 100))
                    for c, e in zip(counted, employments, strict=True)
                ),
                Fraction(0),
            )
            accrued = rule.employee_share(priority, share)
    if months:
        accrued += rule.self_employed(priority, months, paid)
    cents, cap = rule.credit(priority, accrued, bool(employments) and bool(months), int(balance * 100))
    assert D(cents) / 100 == explained.credit
    assert D(cap) / 100 == explained.cap
    assert explained.credit >= 0
    assert explained.new_balance <= max(explained.cap, explained.balance)
