"""The demo files of `make run`: the demo holder has a request and a proposal, nothing engaged, so their
3 000.00 € of rights are untouched (DESIGN §4); the organisation space has work to show; loading twice adds nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import Holder
from opencpf.dossiers.models import Dossier
from opencpf.rights.models import Engagement
from opencpf.rights.selectors import rights_balance
from tests.dossiers.factories import assert_ledger_consistent

pytestmark = pytest.mark.django_db


def test_demo_files_leave_the_demo_holders_rights_untouched():
    call_command("load_demo", stdout=StringIO())
    counts = Dossier.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Dossier.objects.count() == counts
    holder = Holder.objects.get(user__email=DEMO_HOLDER_EMAIL)
    mine = sorted(Dossier.objects.filter(holder=holder).values_list("state", flat=True))
    assert mine == ["proposed", "submitted"]
    assert rights_balance(holder).total == Decimal("3000.00")
    assert not Engagement.objects.filter(holder=holder).exists()
    others = sorted(Dossier.objects.exclude(holder=holder).values_list("state", flat=True))
    assert others == ["completed", "confirmed"]
    for other in Holder.objects.exclude(pk=holder.pk).filter(dossiers__isnull=False).distinct():
        assert_ledger_consistent(other)
