"""Pure rules of DESIGN §2.2–2.3: business-day deadlines, funding plan, the cancellation table in euros, checks."""

import datetime
from decimal import Decimal

import holidays
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opencpf.dossiers.enums import ContributionExemption, Ending, FundingOrder, Refusal
from opencpf.dossiers.rules import (
    DossierParameters,
    EngagedMoney,
    FundingSource,
    accept_before,
    can_accept,
    can_declare_entry,
    can_declare_exit,
    can_propose,
    can_register,
    cancellation_ending,
    cancellation_outcome,
    contribution_exemption,
    declare_entry_before,
    declare_exit_before,
    earliest_start,
    free_cancellation_until,
    funding_order,
    funding_plan,
    holder_cancellation_ending,
    is_overdue,
    lapses_at,
    organisation_payment_share,
    paris_date,
    pay_before,
    respond_before,
    split_pro_rata,
)
from opencpf.rights.enums import Bucket
from opencpf.utils.business_days import business_days_between, is_business_day

# DESIGN §2.2–2.3 values (in production they come from the dated YAML parameters).
PARAMS = DossierParameters(
    respond_days=2,
    earliest_start_days=11,
    accept_days=4,
    declare_entry_days=3,
    declare_exit_days=3,
    pay_days=30,
    max_open_requests=5,
    free_cancellation_days=7,
    late_cancellation_share=Decimal("0.05"),
    abandonment_minimum_share=Decimal("0.25"),
    abandonment_full_share_above=Decimal("0.80"),
    work_accident_exemption_rate=Decimal("0.10"),
    funding_order=FundingOrder.SUPPLEMENTARY_FIRST,
)
CONTRIBUTION_2026 = Decimal("103.20")
ACQUIRED, TOPUP = Bucket.ACQUIRED, Bucket.TOP_UP
SUPPLEMENTARY_FIRST = FundingOrder.SUPPLEMENTARY_FIRST
hypothesis_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def eur(text: str) -> Decimal:
    return Decimal(text)


# --- The calendar the examples rely on ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-04-06", "Lundi de Pâques"),  # Monday
        ("2026-05-01", "Fête du Travail"),  # Friday
        ("2026-05-08", "Fête de la Victoire"),  # Friday
        ("2026-05-14", "Ascension"),  # Thursday
        ("2026-07-14", "Fête nationale"),  # Tuesday
        ("2026-12-25", "Noël"),  # Friday
        ("2027-01-01", "Jour de l'an"),  # Friday
        ("2027-03-29", "Lundi de Pâques"),  # Monday
        ("2027-05-06", "Ascension"),  # Thursday
        ("2027-07-14", "Fête nationale"),  # Wednesday
    ],
)
def test_the_examples_use_real_french_public_holidays(day, name):
    french = holidays.country_holidays("FR", years=d(day).year, language="fr")
    assert french.get(d(day)) == name
    assert d(day).weekday() < 5 and not is_business_day(d(day))


def test_good_friday_is_not_a_national_holiday():
    # Only Alsace-Moselle has it: nationwide deadlines count it as a working day.
    assert is_business_day(d("2027-03-26"))


# --- Deadlines ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_on", "deadline"),
    [
        ("2026-03-02", "2026-03-04"),  # Monday → Wednesday: the submission day does not count
        ("2026-03-06", "2026-03-10"),  # Friday → Tuesday, over the weekend
        ("2026-03-07", "2026-03-10"),  # Saturday: counting starts on Monday
        ("2026-12-24", "2026-12-29"),  # Christmas (Fri) and the weekend skipped
        ("2026-12-31", "2027-01-05"),  # New Year's Day (Fri) skipped
        ("2027-03-26", "2027-03-31"),  # Easter Monday skipped
        ("2026-05-13", "2026-05-18"),  # Ascension (Thu) skipped
        ("2026-07-13", "2026-07-16"),  # 14 July (Tue) skipped
        ("2026-04-30", "2026-05-05"),  # 1 May (Fri) skipped
    ],
)
def test_the_organisation_answers_within_two_business_days(submitted_on, deadline):
    assert respond_before(d(submitted_on), PARAMS) == d(deadline)


@pytest.mark.parametrize(
    ("proposed_on", "deadline"),
    [
        ("2026-03-02", "2026-03-06"),  # Monday → Friday
        ("2026-03-05", "2026-03-11"),  # Thursday → next Wednesday
        ("2026-12-23", "2026-12-30"),  # Christmas
        ("2026-12-28", "2027-01-04"),  # New Year's Day
        ("2027-03-25", "2027-04-01"),  # Easter Monday
        ("2026-05-12", "2026-05-19"),  # Ascension 2026
        ("2027-05-05", "2027-05-12"),  # Ascension 2027
        ("2027-07-12", "2027-07-19"),  # 14 July 2027 (Wed)
    ],
)
def test_the_holder_accepts_within_four_business_days(proposed_on, deadline):
    assert accept_before(d(proposed_on), PARAMS) == d(deadline)


@pytest.mark.parametrize(
    ("proposed_on", "earliest"),
    [
        ("2026-03-02", "2026-03-17"),  # two weekends
        ("2026-12-18", "2027-01-06"),  # Christmas and New Year's Day
        ("2026-07-01", "2026-07-17"),  # 14 July
        ("2026-03-26", "2026-04-13"),  # Easter Monday 2026
    ],
)
def test_a_proposal_starts_at_least_eleven_business_days_later(proposed_on, earliest):
    assert earliest_start(d(proposed_on), PARAMS) == d(earliest)

    def check(start):
        return can_propose(proposed_on=d(proposed_on), start=start, end=d(earliest), price=eur("1.00"), params=PARAMS)

    assert check(d(earliest))
    assert check(d(earliest) - datetime.timedelta(days=1)).refusals == (Refusal.START_TOO_SOON,)


@pytest.mark.parametrize(
    ("start", "deadline"),
    [
        ("2026-03-09", "2026-03-12"),  # Monday → Thursday
        ("2026-04-02", "2026-04-08"),  # Easter Monday 2026
        ("2027-07-12", "2027-07-16"),  # 14 July 2027
        ("2026-12-24", "2026-12-30"),  # Christmas
    ],
)
def test_entry_is_declared_within_three_business_days_of_the_start(start, deadline):
    assert declare_entry_before(d(start), PARAMS) == d(deadline)


@pytest.mark.parametrize(
    ("end", "deadline"),
    [
        ("2026-12-18", "2026-12-23"),  # Friday → Wednesday
        ("2026-12-23", "2026-12-29"),  # Christmas
        ("2026-12-30", "2027-01-05"),  # New Year's Day
        ("2027-05-05", "2027-05-11"),  # Ascension 2027
        ("2026-07-10", "2026-07-16"),  # weekend then 14 July
    ],
)
def test_exit_is_declared_within_three_business_days_of_the_end(end, deadline):
    assert declare_exit_before(d(end), PARAMS) == d(deadline)


def test_the_platform_pays_within_thirty_calendar_days():
    assert pay_before(d("2026-12-10"), PARAMS) == d("2027-01-09")  # a Saturday: calendar days, not business days
    assert pay_before(d("2026-07-01"), PARAMS) == d("2026-07-31")


def test_a_deadline_runs_until_midnight_in_paris():
    utc = datetime.UTC
    deadline = d("2026-03-04")  # winter: UTC+1
    assert lapses_at(deadline) == datetime.datetime(2026, 3, 4, 23, 0, tzinfo=utc)
    assert not is_overdue(deadline, datetime.datetime(2026, 3, 4, 22, 59, 59, tzinfo=utc))
    assert is_overdue(deadline, datetime.datetime(2026, 3, 4, 23, 0, tzinfo=utc))
    summer = d("2026-07-16")  # summer: UTC+2
    assert lapses_at(summer) == datetime.datetime(2026, 7, 16, 22, 0, tzinfo=utc)
    assert not is_overdue(summer, datetime.datetime(2026, 7, 16, 21, 59, 59, tzinfo=utc))
    assert is_overdue(summer, datetime.datetime(2026, 7, 16, 22, 0, tzinfo=utc))
    assert paris_date(datetime.datetime(2026, 7, 16, 22, 30, tzinfo=utc)) == d("2026-07-17")
    with pytest.raises(ValueError):
        paris_date(datetime.datetime(2026, 7, 16, 12, 0))


@pytest.mark.parametrize(
    ("start", "last_free_day"),
    [
        ("2026-03-16", "2026-03-04"),  # Monday start: the 7th bd before is Thursday 5 March
        ("2026-03-18", "2026-03-08"),  # Wednesday start: the 7th bd before is Monday 9, so Sunday 8 is still free
        ("2027-01-04", "2026-12-21"),  # over New Year's Day and Christmas
        ("2026-05-19", "2026-05-05"),  # over Ascension and 8 May
    ],
)
def test_the_holder_cancels_free_more_than_seven_business_days_before_the_start(start, last_free_day):
    assert free_cancellation_until(d(start), PARAMS) == d(last_free_day)
    assert holder_cancellation_ending(d(last_free_day), d(start), PARAMS) == Ending.HOLDER_EARLY
    day_after = d(last_free_day) + datetime.timedelta(days=1)
    assert business_days_between(day_after, d(start)) == 7  # exactly 7 bd ahead is not "more than 7"
    assert holder_cancellation_ending(day_after, d(start), PARAMS) == Ending.HOLDER_LATE
    assert holder_cancellation_ending(d(start), d(start), PARAMS) == Ending.HOLDER_LATE
    # The organisation (or an agent) cancelling is never the holder's late cancellation: everything is restored.
    for on in (d(last_free_day), day_after, d(start)):
        assert cancellation_ending(on, d(start), PARAMS, by_holder=False) == Ending.BY_ORGANISATION
        assert cancellation_ending(on, d(start), PARAMS, by_holder=True) == holder_cancellation_ending(
            on, d(start), PARAMS
        )


dates = st.dates(min_value=d("2024-01-01"), max_value=d("2031-12-31"))


@hypothesis_settings
@given(event=dates, days=st.integers(0, 40))
def test_a_business_day_deadline_is_the_nth_working_day_after_the_event(event, days):
    params = DossierParameters(**{**PARAMS.__dict__, "respond_days": days})
    deadline = respond_before(event, params)
    assert business_days_between(event, deadline) == days
    if days:
        assert deadline > event and is_business_day(deadline)


@hypothesis_settings
@given(cancelled_on=dates, start=dates)
def test_free_cancellation_means_more_than_seven_business_days_before_a_working_start(cancelled_on, start):
    assume(is_business_day(start))
    early = holder_cancellation_ending(cancelled_on, start, PARAMS) == Ending.HOLDER_EARLY
    assert early == (business_days_between(cancelled_on, start) > 7)


# --- Funding plan ------------------------------------------------------------------------------------------------


def test_earmarked_then_expiring_top_ups_then_acquired_rights():
    buckets = [
        FundingSource("acquired", ACQUIRED, eur("3000.00")),
        FundingSource("region-open", TOPUP, eur("50.00")),
        FundingSource("employer-late", TOPUP, eur("100.00"), expires_on=d("2027-06-30")),
        FundingSource("opco-soon", TOPUP, eur("100.00"), expires_on=d("2026-09-30")),
        FundingSource("earmarked", TOPUP, eur("300.00"), earmarked_for_this_training=True, expires_on=d("2028-01-01")),
    ]
    assert [bucket.id for bucket in funding_order(buckets, SUPPLEMENTARY_FIRST)] == [
        "earmarked",
        "opco-soon",
        "employer-late",
        "region-open",
        "acquired",
    ]
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST, price=eur("1500.00"), contribution=CONTRIBUTION_2026, exempt=False, buckets=buckets
    )
    assert [(a.bucket_id, a.amount) for a in plan.allocations] == [
        ("earmarked", eur("300.00")),
        ("opco-soon", eur("100.00")),
        ("employer-late", eur("100.00")),
        ("region-open", eur("50.00")),
        ("acquired", eur("846.80")),
    ]
    assert (plan.funded, plan.holder_pays, plan.contribution_due, plan.shortfall) == (
        eur("1396.80"),
        eur("103.20"),
        eur("103.20"),
        eur("0.00"),
    )
    assert plan.available == eur("3550.00")


def test_before_the_decree_of_december_2025_acquired_rights_came_first():
    buckets = [
        FundingSource("open", TOPUP, eur("50.00")),
        FundingSource("soon", TOPUP, eur("100.00"), expires_on=d("2026-09-30")),
        FundingSource("earmarked", TOPUP, eur("300.00"), earmarked_for_this_training=True),
        FundingSource("acquired", ACQUIRED, eur("1000.00")),
    ]
    order = FundingOrder.ACQUIRED_FIRST
    assert [source.id for source in funding_order(buckets, order)] == ["acquired", "earmarked", "soon", "open"]
    plan = funding_plan(order=order, price=eur("1200.00"), contribution=eur("102.23"), exempt=False, buckets=buckets)
    assert [(a.bucket_id, a.amount) for a in plan.allocations] == [
        ("acquired", eur("1000.00")),
        ("earmarked", eur("97.77")),
    ]


def test_rights_stop_at_price_minus_contribution_leaving_acquired_rights_untouched():
    buckets = [FundingSource(1, ACQUIRED, eur("800.00")), FundingSource(2, TOPUP, eur("2000.00"))]
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST, price=eur("1500.00"), contribution=CONTRIBUTION_2026, exempt=False, buckets=buckets
    )
    assert [(a.bucket_id, a.amount) for a in plan.allocations] == [(2, eur("1396.80"))]
    assert plan.holder_pays == eur("103.20")


def test_a_shortfall_is_paid_by_card_on_top_of_the_contribution():
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("1500.00"),
        contribution=CONTRIBUTION_2026,
        exempt=False,
        buckets=[FundingSource(1, ACQUIRED, eur("500.00"))],
    )
    assert (plan.funded, plan.holder_pays, plan.shortfall) == (eur("500.00"), eur("1000.00"), eur("896.80"))


def test_an_exempt_holder_may_have_the_whole_price_funded():
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("1500.00"),
        contribution=CONTRIBUTION_2026,
        exempt=True,
        buckets=[FundingSource(1, ACQUIRED, eur("3000.00"))],
    )
    assert (plan.funded, plan.holder_pays, plan.contribution_due, plan.shortfall) == (
        eur("1500.00"),
        eur("0.00"),
        eur("0.00"),
        eur("0.00"),
    )


def test_an_exempt_holder_with_too_few_rights_pays_only_the_shortfall():
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("1500.00"),
        contribution=CONTRIBUTION_2026,
        exempt=True,
        buckets=[FundingSource(1, ACQUIRED, eur("1000.00"))],
    )
    assert (plan.holder_pays, plan.shortfall) == (eur("500.00"), eur("500.00"))


def test_a_price_below_the_contribution_is_paid_by_card_only():
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("80.00"),
        contribution=CONTRIBUTION_2026,
        exempt=False,
        buckets=[FundingSource(1, ACQUIRED, eur("3000.00"))],
    )
    assert (plan.funded, plan.holder_pays, plan.contribution_due, plan.allocations) == (
        eur("0.00"),
        eur("80.00"),
        eur("80.00"),
        (),
    )


def test_no_rights_at_all():
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST, price=eur("450.00"), contribution=eur("100.00"), exempt=False, buckets=[]
    )
    assert (plan.funded, plan.holder_pays, plan.shortfall) == (eur("0.00"), eur("450.00"), eur("350.00"))


def test_expired_top_ups_are_left_out():
    buckets = [
        FundingSource("old", TOPUP, eur("500.00"), expires_on=d("2026-03-01")),
        FundingSource("today", TOPUP, eur("200.00"), expires_on=d("2026-03-02")),  # still usable on its last day
        FundingSource("acquired", ACQUIRED, eur("1000.00")),
    ]
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("900.00"),
        contribution=CONTRIBUTION_2026,
        exempt=False,
        buckets=buckets,
        on=d("2026-03-02"),
    )
    assert [(a.bucket_id, a.amount) for a in plan.allocations] == [
        ("today", eur("200.00")),
        ("acquired", eur("596.80")),
    ]
    assert plan.available == eur("1200.00")


@pytest.mark.parametrize("bad", [Decimal("-1.00"), Decimal("10.001"), 10.5, Decimal("NaN"), "12.00"])
def test_amounts_must_be_cents(bad):
    with pytest.raises(ValueError):
        funding_plan(order=SUPPLEMENTARY_FIRST, price=bad, contribution=CONTRIBUTION_2026, exempt=False, buckets=[])
    with pytest.raises(ValueError):
        funding_plan(
            order=SUPPLEMENTARY_FIRST,
            price=eur("10.00"),
            contribution=eur("1.00"),
            exempt=False,
            buckets=[FundingSource(1, ACQUIRED, bad)],
        )


def test_bucket_ids_are_unique():
    with pytest.raises(ValueError):
        funding_plan(
            order=SUPPLEMENTARY_FIRST,
            price=eur("10.00"),
            contribution=eur("1.00"),
            exempt=False,
            buckets=[FundingSource(1, ACQUIRED, eur("1.00")), FundingSource(1, TOPUP, eur("1.00"))],
        )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"job_seeker": True}, ContributionExemption.JOB_SEEKER),
        ({"employer_cofunded": True}, ContributionExemption.EMPLOYER_COFUNDED),
        ({"c2p": True}, ContributionExemption.C2P),
        ({"work_accident_rate": Decimal("0.10")}, ContributionExemption.WORK_ACCIDENT),
        ({"work_accident_rate": Decimal("0.0999")}, None),
        ({}, None),
    ],
)
def test_contribution_exemptions(kwargs, expected):
    flags = {"job_seeker": False, "employer_cofunded": False, "c2p": False, "work_accident_rate": None} | kwargs
    assert contribution_exemption(**flags, params=PARAMS) == expected


# --- The cancellation table in euros (DESIGN §2.3) -------------------------------------------------------------


def _table_plan():
    """1 500 € training, 2026 contribution: earmarked employer top-up 300 €, region top-up 200 € expiring, then
    acquired rights → 300 + 200 + 896.80 from rights, 103.20 € by card."""
    buckets = [
        FundingSource("acquired", ACQUIRED, eur("3000.00")),
        FundingSource("region", TOPUP, eur("200.00"), expires_on=d("2026-09-30")),
        FundingSource("employer", TOPUP, eur("300.00"), earmarked_for_this_training=True),
    ]
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST, price=eur("1500.00"), contribution=CONTRIBUTION_2026, exempt=False, buckets=buckets
    )
    assert [(a.bucket_id, a.amount) for a in plan.allocations] == [
        ("employer", eur("300.00")),
        ("region", eur("200.00")),
        ("acquired", eur("896.80")),
    ]
    return plan.engagement()


def _money(outcome):
    """(restored per bucket in funding order, holder card refund, payment to the OF)."""
    return [bucket.restored for bucket in outcome.buckets], outcome.holder_refund, outcome.organisation_payment


ALL = [eur("300.00"), eur("200.00"), eur("896.80")]
NONE = [eur("0.00")] * 3


@pytest.mark.parametrize(
    ("ending", "attendance", "restored", "refund", "paid"),
    [
        # by the holder more than 7 bd before the start: everything restored, card refunded
        (Ending.HOLDER_EARLY, None, ALL, "103.20", "0.00"),
        # later, or no-show: rights lost, card payment kept, OF gets 5 % of the price
        (Ending.HOLDER_LATE, None, NONE, "0.00", "75.00"),
        (Ending.NO_SHOW, None, NONE, "0.00", "75.00"),
        # abandonment without force majeure: rights lost; OF 25 % below 25 % attendance, pro rata to 80 %, then 100 %
        (Ending.ABANDONMENT, "0.00", NONE, "0.00", "375.00"),
        (Ending.ABANDONMENT, "0.10", NONE, "0.00", "375.00"),
        (Ending.ABANDONMENT, "0.25", NONE, "0.00", "375.00"),
        (Ending.ABANDONMENT, "0.60", NONE, "0.00", "900.00"),
        (Ending.ABANDONMENT, "0.80", NONE, "0.00", "1200.00"),
        (Ending.ABANDONMENT, "0.81", NONE, "0.00", "1500.00"),
        # force majeure: OF paid exactly the attendance share, the unused 60 % restored to every source
        (Ending.FORCE_MAJEURE, "0.40", ["180.00", "120.00", "538.08"], "61.92", "600.00"),
        (Ending.FORCE_MAJEURE, "0.10", ["270.00", "180.00", "807.12"], "92.88", "150.00"),
        (Ending.FORCE_MAJEURE, "0.00", ALL, "103.20", "0.00"),
        # by the OF: everything restored, top-ups back to their funders' buckets
        (Ending.BY_ORGANISATION, None, ALL, "103.20", "0.00"),
        # normal exit with "service fait": OF paid on the same scale, the rest restored
        (Ending.COMPLETION, "1", NONE, "0.00", "1500.00"),
        (Ending.COMPLETION, "0.85", NONE, "0.00", "1500.00"),
        (Ending.COMPLETION, "0.50", ["150.00", "100.00", "448.40"], "51.60", "750.00"),
        (Ending.COMPLETION, "0.10", ["225.00", "150.00", "672.60"], "77.40", "375.00"),
    ],
)
def test_every_row_of_the_cancellation_table(ending, attendance, restored, refund, paid):
    engagement = _table_plan()
    outcome = cancellation_outcome(
        engagement, ending, params=PARAMS, attendance=None if attendance is None else Decimal(attendance)
    )
    assert _money(outcome) == ([Decimal(amount) for amount in restored], Decimal(refund), Decimal(paid))
    assert [b.bucket_id for b in outcome.buckets] == ["employer", "region", "acquired"]
    for bucket in outcome.buckets:
        assert bucket.restored + bucket.forfeited == bucket.engaged
    assert outcome.price == eur("1500.00")


def test_late_cancellation_keeps_the_rest_in_the_fund():
    outcome = cancellation_outcome(_table_plan(), Ending.HOLDER_LATE, params=PARAMS)
    assert (outcome.forfeited, outcome.card_kept, outcome.consumed) == (eur("1396.80"), eur("103.20"), eur("1500.00"))
    assert outcome.kept_by_fund == eur("1425.00")


def test_the_holder_side_from_the_dates_to_the_euros():
    engagement = _table_plan()
    start = d("2026-03-16")
    early = cancellation_outcome(engagement, holder_cancellation_ending(d("2026-03-04"), start, PARAMS), params=PARAMS)
    late = cancellation_outcome(engagement, holder_cancellation_ending(d("2026-03-05"), start, PARAMS), params=PARAMS)
    assert (early.restored, early.holder_refund, early.organisation_payment) == (eur("1396.80"), eur("103.20"), 0)
    assert (late.restored, late.holder_refund, late.organisation_payment) == (0, 0, eur("75.00"))


def test_fees_round_half_up_to_the_cent():
    engagement = EngagedMoney(buckets=(), card_paid=eur("10.10"))
    # 5 % of 10.10 = 0.505: half up gives 0.51 (banker's rounding would give 0.50)
    assert cancellation_outcome(engagement, Ending.NO_SHOW, params=PARAMS).organisation_payment == eur("0.51")
    engagement = EngagedMoney(buckets=(), card_paid=eur("999.99"))
    assert cancellation_outcome(engagement, Ending.HOLDER_LATE, params=PARAMS).organisation_payment == eur("50.00")


def test_a_pro_rata_split_adds_up_to_the_cent():
    # 999.99 € = 100 top-up + 500 acquired + 399.99 card; force majeure at 37 % → OF 369.9963 → 370.00 €, taken
    # pro rata: 37.0004 / 185.0019 / 147.998 → floors 37.00 / 185.00 / 147.99 and the last cent to the largest
    # remainder (the card).
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("999.99"),
        contribution=CONTRIBUTION_2026,
        exempt=False,
        buckets=[FundingSource("acq", ACQUIRED, eur("500.00")), FundingSource("top", TOPUP, eur("100.00"))],
    )
    assert plan.holder_pays == eur("399.99")
    outcome = cancellation_outcome(plan.engagement(), Ending.FORCE_MAJEURE, params=PARAMS, attendance=Decimal("0.37"))
    assert outcome.organisation_payment == eur("370.00")
    assert [(b.bucket_id, b.forfeited, b.restored) for b in outcome.buckets] == [
        ("top", eur("37.00"), eur("63.00")),
        ("acq", eur("185.00"), eur("315.00")),
    ]
    assert (outcome.card_kept, outcome.holder_refund) == (eur("148.00"), eur("251.99"))
    assert outcome.consumed == outcome.organisation_payment


def test_an_exempt_holder_paid_nothing_and_gets_no_refund():
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST,
        price=eur("1500.00"),
        contribution=CONTRIBUTION_2026,
        exempt=True,
        buckets=[FundingSource(1, ACQUIRED, eur("2000.00"))],
    )
    late = cancellation_outcome(plan.engagement(), Ending.HOLDER_LATE, params=PARAMS)
    assert (late.forfeited, late.holder_refund, late.organisation_payment) == (eur("1500.00"), 0, eur("75.00"))
    majeure = cancellation_outcome(plan.engagement(), Ending.FORCE_MAJEURE, params=PARAMS, attendance=Decimal("0.5"))
    assert (majeure.restored, majeure.holder_refund, majeure.organisation_payment) == (
        eur("750.00"),
        0,
        eur("750.00"),
    )


def test_attendance_is_required_exactly_where_it_matters():
    engagement = _table_plan()
    with pytest.raises(ValueError):
        cancellation_outcome(engagement, Ending.ABANDONMENT, params=PARAMS)
    with pytest.raises(ValueError):
        cancellation_outcome(engagement, Ending.HOLDER_EARLY, params=PARAMS, attendance=Decimal("0.5"))
    with pytest.raises(ValueError):
        cancellation_outcome(engagement, Ending.COMPLETION, params=PARAMS, attendance=Decimal("1.01"))


@pytest.mark.parametrize(
    ("attendance", "share"),
    [
        ("0", "0.25"),
        ("0.2499", "0.25"),
        ("0.25", "0.25"),
        ("0.5", "0.5"),
        ("0.80", "0.80"),
        ("0.8001", "1"),
        ("1", "1"),
    ],
)
def test_organisation_payment_scale(attendance, share):
    assert organisation_payment_share(Decimal(attendance), PARAMS) == Decimal(share)


# --- Properties: every euro accounted for -------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=5_000_000).map(lambda value: Decimal(value).scaleb(-2))
shares = st.integers(min_value=0, max_value=10_000).map(lambda value: Decimal(value).scaleb(-4))
bucket_lists = st.lists(
    st.builds(
        lambda kind, amount, earmarked, expires: (kind, amount, earmarked, expires),
        st.sampled_from([Bucket.ACQUIRED, Bucket.TOP_UP]),
        cents,
        st.booleans(),
        st.none() | dates,
    ),
    max_size=6,
).map(lambda rows: [FundingSource(index, *row) for index, row in enumerate(rows)])


@hypothesis_settings
@given(price=cents, contribution=cents, exempt=st.booleans(), buckets=bucket_lists)
def test_a_funding_plan_pays_the_price_exactly(price, contribution, exempt, buckets):
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST, price=price, contribution=contribution, exempt=exempt, buckets=buckets
    )
    amounts = {bucket.id: bucket.amount for bucket in buckets}
    assert plan.funded + plan.holder_pays == price
    assert plan.holder_pays >= (0 if exempt else min(contribution, price))
    assert plan.shortfall >= 0
    assert plan.funded == min(sum(amounts.values(), Decimal(0)), price - plan.contribution_due)
    assert all(0 < allocation.amount <= amounts[allocation.bucket_id] for allocation in plan.allocations)
    # Greedy in funding order: only the last bucket used may be partly spent.
    order = [bucket.id for bucket in funding_order(buckets, SUPPLEMENTARY_FIRST) if bucket.amount > 0]
    used = [allocation.bucket_id for allocation in plan.allocations]
    assert used == order[: len(used)]
    assert all(allocation.amount == amounts[allocation.bucket_id] for allocation in plan.allocations[:-1])
    for value in (plan.funded, plan.holder_pays, plan.shortfall, *(a.amount for a in plan.allocations)):
        assert value == value.quantize(Decimal("0.01"))


@hypothesis_settings
@given(
    price=cents,
    contribution=cents,
    exempt=st.booleans(),
    buckets=bucket_lists,
    ending=st.sampled_from(Ending),
    attendance=shares,
)
def test_settling_never_creates_or_loses_a_cent(price, contribution, exempt, buckets, ending, attendance):
    plan = funding_plan(
        order=SUPPLEMENTARY_FIRST, price=price, contribution=contribution, exempt=exempt, buckets=buckets
    )
    engagement = plan.engagement()
    needs_attendance = ending in {Ending.ABANDONMENT, Ending.FORCE_MAJEURE, Ending.COMPLETION}
    outcome = cancellation_outcome(
        engagement, ending, params=PARAMS, attendance=attendance if needs_attendance else None
    )
    assert outcome.card_paid + plan.funded == price
    for bucket, allocation in zip(outcome.buckets, plan.allocations, strict=True):
        assert bucket.engaged == allocation.amount
        assert bucket.restored + bucket.forfeited == bucket.engaged
        assert bucket.restored >= 0 and bucket.forfeited >= 0
    assert 0 <= outcome.holder_refund <= outcome.card_paid
    assert 0 <= outcome.organisation_payment <= price
    assert outcome.organisation_payment <= outcome.consumed
    assert outcome.restored + outcome.holder_refund + outcome.consumed == price
    if ending in {Ending.HOLDER_EARLY, Ending.BY_ORGANISATION}:
        assert outcome.consumed == 0
    if ending in {Ending.HOLDER_LATE, Ending.NO_SHOW, Ending.ABANDONMENT}:
        assert outcome.restored == 0 and outcome.holder_refund == 0
    if ending in {Ending.FORCE_MAJEURE, Ending.COMPLETION}:
        assert outcome.consumed == outcome.organisation_payment


@hypothesis_settings
@given(total=cents, weights=st.lists(cents, min_size=1, max_size=8))
def test_a_pro_rata_split_is_exact_and_fair(total, weights):
    whole = sum(weights, Decimal(0))
    assume(total <= whole)
    parts = split_pro_rata(total, weights)
    assert sum(parts, Decimal(0)) == total
    for part, weight in zip(parts, weights, strict=True):
        assert 0 <= part <= weight
        if whole:
            assert abs(part - weight * total / whole) < Decimal("0.01")


# --- Checks --------------------------------------------------------------------------------------------------------


def test_at_most_five_open_requests_for_one_training():
    assert can_register(open_requests_for_training=4, params=PARAMS)
    sixth = can_register(open_requests_for_training=5, params=PARAMS)
    assert not sixth and sixth.refusals == (Refusal.TOO_MANY_OPEN_REQUESTS,)


def test_registering_twice_or_on_a_closed_account_is_refused():
    verdict = can_register(
        open_requests_for_training=1, open_file_for_session=True, account_closed=True, params=PARAMS
    )
    assert verdict.refusals == (Refusal.ACCOUNT_CLOSED, Refusal.ALREADY_REGISTERED)


def test_a_proposal_needs_a_positive_price_and_an_end_after_the_start():
    verdict = can_propose(
        proposed_on=d("2026-03-02"), start=d("2026-03-17"), end=d("2026-03-16"), price=eur("0.00"), params=PARAMS
    )
    assert verdict.refusals == (Refusal.PRICE_NOT_POSITIVE, Refusal.END_BEFORE_START)


def test_accepting_is_possible_until_the_last_day_included():
    deadline = accept_before(d("2026-12-23"), PARAMS)
    assert can_accept(today=deadline, accept_before=deadline)
    assert can_accept(today=deadline + datetime.timedelta(days=1), accept_before=deadline).refusals == (
        Refusal.DEADLINE_PASSED,
    )


def test_entry_and_exit_are_declared_once_they_happened():
    assert can_declare_entry(today=d("2026-03-16"), start=d("2026-03-16"))
    assert can_declare_entry(today=d("2026-03-13"), start=d("2026-03-16")).refusals == (Refusal.BEFORE_START,)
    assert can_declare_exit(today=d("2026-03-20"), end=d("2026-03-20"), completion=Decimal("1"))
    assert can_declare_exit(today=d("2026-03-19"), end=d("2026-03-20"), completion=Decimal("1.2")).refusals == (
        Refusal.BEFORE_END,
        Refusal.SHARE_OUT_OF_RANGE,
    )


def test_parameters_are_validated():
    with pytest.raises(ValueError):
        DossierParameters(**{**PARAMS.__dict__, "respond_days": -1})
    with pytest.raises(ValueError):
        DossierParameters(**{**PARAMS.__dict__, "late_cancellation_share": 0.05})
    with pytest.raises(ValueError):
        DossierParameters(**{**PARAMS.__dict__, "abandonment_minimum_share": Decimal("0.9")})
