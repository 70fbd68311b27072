"""Expired top-ups leave the balance by a ledger movement: `manage.py expire_topups` and the periodic task."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from opencpf.rights import services
from opencpf.rights.enums import FunderKind, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount
from opencpf.rights.tasks import expire_topups_task
from tests.accounts.factories import HolderFactory

pytestmark = pytest.mark.django_db


def add(holder, amount, expires_on):
    return services.topup_add(
        holder=holder,
        amount=Decimal(amount),
        funder_kind=FunderKind.REGION,
        funder_name="Région",
        expires_on=expires_on,
        on_date=datetime.date(2026, 1, 2),
    )


def test_command_is_dry_by_default_then_writes_with_wet_run():
    holder = HolderFactory()
    add(holder, "120", datetime.date(2026, 2, 28))
    add(holder, "80", datetime.date(2026, 12, 31))
    out = StringIO()
    call_command("expire_topups", date="2026-03-01", stdout=out)
    assert "1 top-up(s), 120.00 €, would expire" in out.getvalue()
    assert not LedgerEntry.objects.filter(kind=MovementKind.EXPIRY).exists()
    out = StringIO()
    call_command("expire_topups", date="2026-03-01", wet_run=True, stdout=out)
    assert "1 top-up(s), 120.00 €, expired" in out.getvalue()
    assert RightsAccount.objects.get(pk=holder.pk).top_ups == Decimal("80.00")
    out = StringIO()
    call_command("expire_topups", date="2026-03-01", wet_run=True, stdout=out)
    assert "0 top-up(s)" in out.getvalue()


def test_command_rejects_a_bad_date():
    with pytest.raises(CommandError):
        call_command("expire_topups", date="01/03/2026", stdout=StringIO())


def test_periodic_task_expires_what_is_past(settings):
    holder = HolderFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.topup_add(
        holder=holder,
        amount=Decimal("50"),
        funder_kind=FunderKind.STATE,
        funder_name="État",
        expires_on=yesterday,
        on_date=yesterday - datetime.timedelta(days=10),
    )
    result = expire_topups_task.enqueue()
    assert result.return_value == 1
    assert RightsAccount.objects.get(pk=holder.pk).top_ups == 0
