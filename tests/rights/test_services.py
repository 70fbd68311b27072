"""The ledger services: each movement, the balances it moves, and the refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from opencpf.accounts.enums import ClosureReason
from opencpf.rights import services
from opencpf.rights.enums import Bucket, FunderKind, MovementKind
from opencpf.rights.models import Engagement, LedgerEntry, RightsAccount, TopUp
from opencpf.rights.selectors import ledger_sums, rights_available, rights_balance, rights_buckets, rights_history
from tests.accounts.factories import HolderFactory, UserFactory
from tests.rights.factories import EmploymentDeclarationFactory, SelfEmployedDeclarationFactory, engage

D = Decimal
TODAY = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def assert_consistent(holder):
    account = RightsAccount.objects.get(pk=holder.pk)
    sums = ledger_sums(holder.pk)
    assert account.acquired == sums[Bucket.ACQUIRED]
    assert account.top_ups == sums[Bucket.TOP_UP]
    remaining = sum((t.remaining for t in TopUp.objects.filter(holder=holder)), D(0))
    assert account.top_ups == remaining
    return account


def give(holder, amount):
    """Acquired rights through yearly credits (500 € each, a rest pro rata) of years the tests do not use."""
    year = 2040
    left = D(amount)
    while left >= 500:
        EmploymentDeclarationFactory(holder=holder, year=year)
        services.rights_credit_year(holder=holder, year=year, on_date=TODAY)
        left -= 500
        year += 1
    if left:
        agent = UserFactory(agent=True)
        services.rights_correct(agent=agent, holder=holder, amount=left, reason="Opening balance", on_date=TODAY)
    return assert_consistent(holder)


def topup(holder, amount, **kwargs):
    kwargs.setdefault("funder_kind", FunderKind.EMPLOYER)
    kwargs.setdefault("funder_name", "ACME")
    return services.topup_add(holder=holder, amount=D(amount), on_date=TODAY, **kwargs)


# --- yearly credit -------------------------------------------------------------------------------------------


def test_yearly_credit_from_declarations():
    holder = HolderFactory()
    EmploymentDeclarationFactory(holder=holder, year=2025, hours_worked=D("500"))
    EmploymentDeclarationFactory(holder=holder, year=2025, hours_worked=D("300"))
    entry = services.rights_credit_year(holder=holder, year=2025, on_date=TODAY)
    assert entry.amount == D("248.92") and entry.kind == MovementKind.YEARLY_CREDIT and entry.year == 2025
    assert assert_consistent(holder).acquired == D("248.92")


def test_yearly_credit_is_idempotent():
    holder = HolderFactory()
    EmploymentDeclarationFactory(holder=holder, year=2025)
    first = services.rights_credit_year(holder=holder, year=2025, on_date=TODAY)
    second = services.rights_credit_year(holder=holder, year=2025, on_date=TODAY)
    assert first.pk == second.pk
    assert LedgerEntry.objects.filter(holder=holder).count() == 1
    assert assert_consistent(holder).acquired == D("500.00")


def test_no_declaration_no_credit():
    holder = HolderFactory(job_seeker=True)
    assert services.rights_credit_year(holder=holder, year=2025, on_date=TODAY) is None
    assert not LedgerEntry.objects.filter(holder=holder).exists()


def test_self_employed_credit():
    declaration = SelfEmployedDeclarationFactory(months=7)
    entry = services.rights_credit_year(holder=declaration.holder, year=2025, on_date=TODAY)
    assert entry.amount == D("291.67")


def test_credit_near_the_cap_is_partial_and_the_cap_is_never_passed():
    holder = HolderFactory()
    give(holder, 4800)
    EmploymentDeclarationFactory(holder=holder, year=2025)
    assert services.rights_credit_year(holder=holder, year=2025, on_date=TODAY).amount == D("200.00")
    EmploymentDeclarationFactory(holder=holder, year=2026)
    assert services.rights_credit_year(holder=holder, year=2026, on_date=TODAY).amount == D("0.00")
    assert assert_consistent(holder).acquired == D("5000.00")


def test_top_ups_do_not_count_towards_the_cap():
    holder = HolderFactory()
    give(holder, 4500)
    topup(holder, 3000)
    EmploymentDeclarationFactory(holder=holder, year=2025)
    assert services.rights_credit_year(holder=holder, year=2025, on_date=TODAY).amount == D("500.00")
    account = assert_consistent(holder)
    assert (account.acquired, account.top_ups) == (D("5000.00"), D("3000.00"))


def test_priority_holder_cap_8000():
    holder = HolderFactory(low_qualified=True)
    EmploymentDeclarationFactory(holder=holder, year=2025)
    assert services.rights_credit_year(holder=holder, year=2025, on_date=TODAY).amount == D("800.00")
    assert RightsAccount.objects.get(pk=holder.pk).cap == D("8000.00")


# --- engagement ----------------------------------------------------------------------------------------------


def test_engage_takes_exactly_the_split_it_is_given_and_checks_each_part():
    """The ledger does not choose the order of use (the funding plan does): it engages the parts it is given, in
    that order, after checking each one (earmark, expiry, what the bucket holds)."""
    holder = HolderFactory()
    give(holder, 1000)
    other = topup(holder, 300, funder_kind=FunderKind.REGION, funder_name="Région")
    soon = topup(holder, 100, expires_on=datetime.date(2026, 6, 30), funder_kind=FunderKind.FRANCE_TRAVAIL)
    earmarked = topup(holder, 200, earmark_certifications=["rncp37274"])
    elsewhere = topup(holder, 500, earmark_certifications=["RNCP11111"])
    buckets = rights_buckets(holder=holder, on_date=TODAY, certification_code="RNCP37274")
    assert {b.id for b in buckets} == {other.pk, soon.pk, earmarked.pk, "acquired"}  # not `elsewhere`
    for refused_split in (
        [(elsewhere.pk, D("10"))],  # earmarked for another training
        [(other.pk, D("300.01"))],  # more than the top-up holds
        [("acquired", D("600")), ("acquired", D("400.01"))],  # more than the acquired rights, in two parts
    ):
        with pytest.raises(services.InsufficientRights):
            services.rights_engage(
                holder=holder, dossier_id=42, split=refused_split, on_date=TODAY, certification_code="RNCP37274"
            )
    assert not Engagement.objects.exists()
    with pytest.raises(services.InsufficientRights):  # expired on the day
        services.rights_engage(
            holder=holder, dossier_id=42, split=[(soon.pk, D("10"))], on_date=datetime.date(2026, 7, 1)
        )
    split = [("acquired", D("800")), (earmarked.pk, D("200")), (soon.pk, D("100"))]
    rows = services.rights_engage(
        holder=holder, dossier_id=42, split=split, on_date=TODAY, certification_code="RNCP37274"
    )
    assert [(row.bucket, row.top_up_id, row.amount) for row in rows] == [
        (Bucket.ACQUIRED, None, D("800")),
        (Bucket.TOP_UP, earmarked.pk, D("200")),
        (Bucket.TOP_UP, soon.pk, D("100")),
    ]
    elsewhere.refresh_from_db()
    assert elsewhere.remaining == D("500")
    account = assert_consistent(holder)
    assert (account.acquired, account.top_ups) == (D("200.00"), D("800.00"))


def test_engage_is_all_or_nothing():
    holder = HolderFactory()
    give(holder, 500)
    topup(holder, 100, earmark_offers=[7])
    assert rights_available(holder=holder, on_date=TODAY) == D("500.00")
    assert rights_available(holder=holder, on_date=TODAY, offer_id=7) == D("600.00")
    with pytest.raises(services.InsufficientRights) as error:
        engage(holder=holder, amount=D("501"), dossier_id=1, on_date=TODAY)
    assert error.value.available == D("500.00")
    assert not Engagement.objects.exists()
    assert assert_consistent(holder).acquired == D("500.00")
    engage(holder=holder, amount=D("600"), dossier_id=1, on_date=TODAY, offer_id=7)
    assert assert_consistent(holder).total == D("0.00")


def test_an_expired_top_up_cannot_be_used():
    holder = HolderFactory()
    topup(holder, 100, expires_on=datetime.date(2026, 3, 31))
    assert rights_available(holder=holder, on_date=datetime.date(2026, 3, 31)) == D("100.00")
    assert rights_available(holder=holder, on_date=datetime.date(2026, 4, 1)) == D("0.00")
    with pytest.raises(services.InsufficientRights):
        engage(holder=holder, amount=D("50"), dossier_id=3, on_date=datetime.date(2026, 4, 1))


# --- restoration and forfeiture ------------------------------------------------------------------------------


def test_restore_everything_to_where_it_came_from():
    holder = HolderFactory()
    give(holder, 1000)
    top = topup(holder, 200)
    engage(holder=holder, amount=D("1100"), dossier_id=9, on_date=TODAY)
    restoration = services.rights_restore(holder=holder, dossier_id=9, on_date=TODAY, reason="Cancelled by the OF")
    assert restoration.restored == D("1100") and restoration.lost_to_cap == 0
    account = assert_consistent(holder)
    assert (account.acquired, account.top_ups) == (D("1000.00"), D("200.00"))
    top.refresh_from_db()
    assert top.remaining == D("200")
    with pytest.raises(services.NothingToSettle):
        services.rights_restore(holder=holder, dossier_id=9, on_date=TODAY)


def test_partial_restoration_gives_back_acquired_rights_first():
    holder = HolderFactory()
    give(holder, 500)
    topup(holder, 300, expires_on=datetime.date(2026, 12, 31))
    engage(holder=holder, amount=D("700"), dossier_id=5, on_date=TODAY)  # 300 top-up, 400 acquired
    services.rights_restore(holder=holder, dossier_id=5, on_date=TODAY, amount=D("450"), reason="Force majeure")
    account = assert_consistent(holder)
    assert (account.acquired, account.top_ups) == (D("500.00"), D("50.00"))
    with pytest.raises(services.RightsError):
        services.rights_restore(holder=holder, dossier_id=5, on_date=TODAY, amount=D("300"))


@pytest.mark.usefixtures("english")
def test_settle_by_bucket_as_the_files_settlement_says():
    holder = HolderFactory()
    give(holder, 1000)
    top = topup(holder, 400)
    engage(holder=holder, amount=D("1000"), dossier_id=21, on_date=TODAY)  # 400 top-up, 600 acquired
    restoration = services.rights_restore(
        holder=holder, dossier_id=21, on_date=TODAY, by_bucket={"acquired": D("100"), top.pk: D("50")}
    )
    assert restoration.restored == D("150")
    with pytest.raises(services.RightsError):
        services.rights_forfeit(holder=holder, dossier_id=21, on_date=TODAY, by_bucket={top.pk: D("351")})
    lost = services.rights_forfeit(holder=holder, dossier_id=21, on_date=TODAY, reason="No-show")
    assert lost == D("850")
    account = assert_consistent(holder)
    assert (account.acquired, account.top_ups) == (D("500.00"), D("50.00"))
    items = [item for item in rights_history(holder) if item.kind == MovementKind.FORFEITURE]
    assert sorted(item.lines[0].text.split(" engaged")[0] for item in items) == ["350.00\u00a0€", "500.00\u00a0€"]
    assert all(item.amount == 0 for item in items)  # the balance moved at engagement


@pytest.mark.usefixtures("english")
def test_restoration_above_the_cap_is_forfeited_not_credited():
    holder = HolderFactory()
    give(holder, 5000)
    engage(holder=holder, amount=D("1000"), dossier_id=8, on_date=TODAY)
    EmploymentDeclarationFactory(holder=holder, year=2030 - 1)
    services.rights_credit_year(holder=holder, year=2029, on_date=TODAY)  # 500 → 4 500
    restoration = services.rights_restore(holder=holder, dossier_id=8, on_date=TODAY)
    assert (restoration.restored, restoration.lost_to_cap) == (D("500"), D("500"))
    assert assert_consistent(holder).acquired == D("5000.00")
    lines = [line.text for item in rights_history(holder) for line in item.lines]
    assert any("could not come back" in text for text in lines)


def test_restoring_an_expired_top_up_expires_it_at_once():
    holder = HolderFactory()
    top = topup(holder, 200, expires_on=datetime.date(2026, 4, 30))
    engage(holder=holder, amount=D("200"), dossier_id=4, on_date=TODAY)
    restoration = services.rights_restore(holder=holder, dossier_id=4, on_date=datetime.date(2026, 5, 4))
    assert restoration.expired == D("200")
    top.refresh_from_db()
    assert top.remaining == 0
    assert assert_consistent(holder).top_ups == 0


def test_forfeit_leaves_the_balance_and_says_why():
    holder = HolderFactory()
    give(holder, 1000)
    engage(holder=holder, amount=D("800"), dossier_id=11, on_date=TODAY)
    lost = services.rights_forfeit(holder=holder, dossier_id=11, on_date=TODAY, reason="No-show")
    assert lost == D("800")
    assert assert_consistent(holder).acquired == D("200.00")
    with pytest.raises(services.NothingToSettle):
        services.rights_restore(holder=holder, dossier_id=11, on_date=TODAY)
    entry = LedgerEntry.objects.get(kind=MovementKind.FORFEITURE)
    assert entry.amount == D("-800.00") and entry.bucket == Bucket.ACQUIRED


# --- expiry, corrections, closure ----------------------------------------------------------------------------


def test_topups_expire_once_after_their_last_day():
    holder = HolderFactory()
    kept = topup(holder, 100, expires_on=datetime.date(2026, 6, 30))
    gone = topup(holder, 150, expires_on=datetime.date(2026, 3, 31))
    assert services.topups_expire(on_date=datetime.date(2026, 3, 31)) == []
    dry = services.topups_expire(on_date=datetime.date(2026, 4, 1), dry_run=True)
    assert [e.top_up_id for e in dry] == [gone.pk]
    assert assert_consistent(holder).top_ups == D("250.00")
    done = services.topups_expire(on_date=datetime.date(2026, 4, 1))
    assert [(e.top_up_id, e.amount) for e in done] == [(gone.pk, D("150.00"))]
    assert services.topups_expire(on_date=datetime.date(2026, 4, 1)) == []
    assert assert_consistent(holder).top_ups == D("100.00")
    kept.refresh_from_db()
    assert kept.remaining == D("100")


def test_agent_correction_with_reason():
    holder = HolderFactory()
    give(holder, 500)
    agent = UserFactory(agent=True)
    entry = services.rights_correct(agent=agent, holder=holder, amount=D("-120.50"), reason="Wrong DSN", on_date=TODAY)
    assert entry.agent == agent and entry.reason == "Wrong DSN"
    assert assert_consistent(holder).acquired == D("379.50")
    with pytest.raises(services.RightsError):
        services.rights_correct(agent=agent, holder=holder, amount=D("-1000"), reason="x", on_date=TODAY)
    with pytest.raises(services.RightsError):
        services.rights_correct(agent=agent, holder=holder, amount=D("4700"), reason="x", on_date=TODAY)
    with pytest.raises(services.RightsError):
        services.rights_correct(agent=agent, holder=holder, amount=D("10"), reason=" ", on_date=TODAY)
    with pytest.raises(PermissionDenied):
        services.rights_correct(agent=holder.user, holder=holder, amount=D("10"), reason="x", on_date=TODAY)


def test_closed_account_gets_no_credit_and_cannot_be_used():
    holder = HolderFactory()
    give(holder, 1000)
    engage(holder=holder, amount=D("100"), dossier_id=12, on_date=TODAY)
    services.account_close(holder=holder, reason=ClosureReason.RETIREMENT, on_date=TODAY)
    holder.refresh_from_db()
    assert holder.closed_on == TODAY and holder.closure_reason == ClosureReason.RETIREMENT
    EmploymentDeclarationFactory(holder=holder, year=2025)
    with pytest.raises(services.AccountClosed):
        services.rights_credit_year(holder=holder, year=2025, on_date=TODAY)
    with pytest.raises(services.AccountClosed):
        engage(holder=holder, amount=D("10"), dossier_id=13, on_date=TODAY)
    with pytest.raises(services.AccountClosed):
        topup(holder, 100)
    with pytest.raises(services.AccountClosed):
        services.account_close(holder=holder, reason=ClosureReason.DEATH, on_date=TODAY)
    assert rights_available(holder=holder, on_date=TODAY) == 0
    # A file is still settled: its rights come back to the (frozen) balance.
    services.rights_restore(holder=holder, dossier_id=12, on_date=TODAY)
    assert assert_consistent(holder).acquired == D("1000.00")


def test_history_explains_every_line_with_a_reference():
    holder = HolderFactory()
    give(holder, 500)
    EmploymentDeclarationFactory(holder=holder, year=2024, hours_worked=D("800"))
    services.rights_credit_year(holder=holder, year=2024, on_date=TODAY)
    topup(holder, 100, expires_on=datetime.date(2026, 3, 31), earmark_certifications=["RS5432"])
    engage(holder=holder, amount=D("100"), dossier_id=1, on_date=TODAY)
    services.rights_restore(holder=holder, dossier_id=1, on_date=TODAY)
    services.topups_expire(on_date=datetime.date(2026, 4, 1))
    services.rights_correct(agent=UserFactory(agent=True), holder=holder, amount=D("1"), reason="Fix", on_date=TODAY)
    services.account_close(holder=holder, reason=ClosureReason.DEATH, on_date=datetime.date(2026, 4, 2))
    history = rights_history(holder)
    kinds = [item.kind for item in history]
    assert set(kinds) >= {"yearly_credit", "top_up", "engagement", "restoration", "expiry", "correction", "closure"}
    for item in history:
        assert item.lines, item.kind
        for line in item.lines:
            assert line.text and line.references
    credit_2024 = next(item for item in history if item.year == 2024)
    assert any("248,92" in line.text or "248.92" in line.text for line in credit_2024.lines)
    balance = rights_balance(holder)
    assert balance.acquired == D("749.92") and balance.closed_on == datetime.date(2026, 4, 2)
