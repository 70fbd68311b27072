from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import Holder
from opencpf.rights.selectors import ledger_sums, rights_balance

pytestmark = pytest.mark.django_db


def test_demo_holder_has_exactly_3000_of_rights_and_loading_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "has 3000.00 € of rights" in out.getvalue()
    holder = Holder.objects.get(user__email=DEMO_HOLDER_EMAIL)
    balance = rights_balance(holder)
    assert balance.total == Decimal("3000.00") and balance.acquired == Decimal("3000.00")
    assert ledger_sums(holder.pk)["acquired"] == Decimal("3000.00")
    assert holder.ledger.count() == 6
