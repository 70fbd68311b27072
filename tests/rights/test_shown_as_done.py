"""What a holder is shown follows the same rules as what the services do with their money: the priority group and
its cap, the declarations behind a yearly credit, a closed account, rights that paid a training."""

import datetime
from decimal import Decimal

import pytest

from opencpf.rights import services
from opencpf.rights.models import RightsAccount
from opencpf.rights.selectors import rights_balance
from opencpf.rights.selectors.outlook import empty_account_outlook
from tests.accounts.factories import HolderFactory, UserFactory
from tests.rights.factories import EmploymentDeclarationFactory

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
