"""What a holder is shown follows the same rules as what the services do with their money: the priority group and
its cap, the declarations behind a yearly credit, a closed account, rights that paid a training."""

import datetime
from decimal import Decimal

import pytest

from opencpf.accounts.enums import ClosureReason
from opencpf.accounts.models import Holder
from opencpf.dossiers import services as dossier_services
from opencpf.dossiers.models import OrganisationPayment
from opencpf.rights import services
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount
from opencpf.rights.selectors import rights_available, rights_balance, rights_buckets, rights_history
from opencpf.rights.selectors.outlook import empty_account_outlook
from tests.accounts.factories import HolderFactory, UserFactory
from tests.dossiers.factories import in_training, make_world, paris
from tests.rights.factories import EmploymentDeclarationFactory, SelfEmployedDeclarationFactory, engage

D = Decimal
TODAY = datetime.date(2026, 3, 2)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("situation", "cap"),
    [
        ({}, D("5000.00")),
        ({"low_qualified": True}, D("8000.00")),
        ({"disabled_worker": True}, D("8000.00")),
    ],
)
def test_the_priority_groups_are_shown_the_amount_and_cap_their_account_gets(situation, cap):
    holder = HolderFactory(**situation)
    # At 0 €, the outlook promises a full year's credit: a full year then credits exactly that.
    outlook = empty_account_outlook(holder, today=TODAY)
    EmploymentDeclarationFactory(holder=holder, year=outlook.worked_year)
    credit = services.rights_credit_year(holder=holder, year=outlook.worked_year, on_date=TODAY)
    assert outlook.annual_amount == f"{credit.amount:.2f}\u00a0€"
    # The cap shown is the one the account keeps: acquired rights reach it, and not a cent more.
    shown = rights_balance(holder)
    assert shown.cap == cap
    agent = UserFactory(agent=True)
    services.rights_correct(agent=agent, holder=holder, amount=shown.room_under_cap, reason="Up to the cap")
    with pytest.raises(services.RightsError):
        services.rights_correct(agent=agent, holder=holder, amount=D("0.01"), reason="Above the cap")
    assert RightsAccount.objects.get(pk=holder.pk).acquired == rights_balance(holder).cap == cap


def test_the_history_explains_a_credit_with_every_declaration_it_counted():
    holder = HolderFactory()
    EmploymentDeclarationFactory(holder=holder, year=2025, hours_worked=D("300"), maternity_hours=D("200"))
    EmploymentDeclarationFactory(holder=holder, year=2025, hours_worked=D("100"), sick_leave_hours=D("50"))
    SelfEmployedDeclarationFactory(holder=holder, year=2025, months=3)
    credit = services.rights_credit_year(holder=holder, year=2025, on_date=TODAY)
    (item,) = [item for item in rights_history(holder) if item.kind == MovementKind.YEARLY_CREDIT]
    assert item.amount == credit.amount > 0
    texts = " | ".join(line.text for line in item.lines)
    # The credit explained again from the same declarations, not the short line used when they disagree.
    assert "Yearly credit for the work of" not in texts
    assert "declared by 2 employers: 400 h" in texts
    assert "200 h of absence count as time worked (maternity leave)" in texts
    assert "50 h of other absence (ordinary sick leave) do not count" in texts
    assert "Self-employed for 3 months of 2025" in texts


@pytest.mark.parametrize("closed_row", ["rights account", "holder"])
def test_an_account_closed_on_either_row_is_shown_closed_and_refuses_every_movement(closed_row):
    holder = HolderFactory()
    services.rights_correct(agent=UserFactory(agent=True), holder=holder, amount=D("1000"), reason="Opening")
    services.topup_add(holder=holder, amount=D("100"), funder_kind="employer", funder_name="ACME", on_date=TODAY)
    if closed_row == "holder":
        Holder.objects.filter(pk=holder.pk).update(closed_on=TODAY, closure_reason=ClosureReason.RETIREMENT)
    else:
        RightsAccount.objects.filter(pk=holder.pk).update(closed_on=TODAY)
    holder.refresh_from_db()
    assert rights_balance(holder).closed_on == TODAY
    assert rights_buckets(holder=holder, on_date=TODAY) == []
    assert rights_available(holder=holder, on_date=TODAY) == 0
    EmploymentDeclarationFactory(holder=holder, year=2025)
    with pytest.raises(services.AccountClosed):
        services.rights_credit_year(holder=holder, year=2025, on_date=TODAY)
    with pytest.raises(services.AccountClosed):
        engage(holder=holder, amount=D("10"), dossier_id=1, on_date=TODAY)
    with pytest.raises(services.AccountClosed):
        services.topup_add(holder=holder, amount=D("5"), funder_kind="employer", funder_name="ACME", on_date=TODAY)
    with pytest.raises(services.AccountClosed):
        services.account_close(holder=holder, reason=ClosureReason.DEATH, on_date=TODAY)


def test_rights_that_paid_the_training_are_labelled_and_explained_as_such():
    world = make_world(price="1200.00")
    dossier = in_training(world)
    dossier_services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20", 17)
    )
    assert OrganisationPayment.objects.filter(dossier=dossier).exists()
    # Written before payments had their own kind: rights spent on a training were a forfeiture with cause "spent".
    LedgerEntry.objects.create(
        holder=world.holder,
        kind=MovementKind.FORFEITURE,
        bucket=Bucket.NONE,
        amount=0,
        dossier_id=dossier.pk + 1,
        details={"cause": "spent", "lost": "300.00"},
        effective_on=datetime.date(2025, 6, 2),
    )
    engage(holder=world.holder, amount=D("200"), dossier_id=dossier.pk + 2, on_date=TODAY)
    services.rights_forfeit(holder=world.holder, dossier_id=dossier.pk + 2, on_date=TODAY, reason="No-show")
    settled = [item for item in rights_history(world.holder) if item.kind in {"payment", "forfeiture"}]
    paid = {
        item.dossier_id: (item.kind_label, item.lines[0].text)
        for item in settled
        if "paid the training organisation" in item.lines[0].text
    }
    assert sorted(paid) == [dossier.pk, dossier.pk + 1]
    assert {label for label, _text in paid.values()} == {"Training paid"}
    (lost,) = [item for item in settled if item.dossier_id == dossier.pk + 2]
    assert lost.kind_label == "Rights forfeited" and "are lost" in lost.lines[0].text
