"""The database itself refuses what would break an invariant, whatever Python does."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from opencpf.rights.enums import Bucket, FunderKind, MovementKind
from opencpf.rights.models import Engagement, LedgerEntry, RightsAccount, TopUp
from tests.accounts.factories import HolderFactory

D = Decimal
TODAY = datetime.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_negative_balance_is_refused():
    account = RightsAccount.objects.create(holder=HolderFactory(), cap=D("5000"), acquired=D("10"))
    refused(lambda: RightsAccount.objects.filter(pk=account.pk).update(acquired=D("-0.01")))
    refused(lambda: RightsAccount.objects.filter(pk=account.pk).update(top_ups=D("-5")))


def test_acquired_rights_above_the_cap_are_refused():
    account = RightsAccount.objects.create(holder=HolderFactory(), cap=D("5000"), acquired=D("4999"))
    refused(lambda: RightsAccount.objects.filter(pk=account.pk).update(acquired=D("5000.01")))
    RightsAccount.objects.filter(pk=account.pk).update(acquired=D("5000"))


def test_double_yearly_credit_is_refused():
    holder = HolderFactory()
    fields = {"holder": holder, "kind": MovementKind.YEARLY_CREDIT, "bucket": Bucket.ACQUIRED, "effective_on": TODAY}
    LedgerEntry.objects.create(amount=D("500"), year=2025, **fields)
    refused(lambda: LedgerEntry.objects.create(amount=D("100"), year=2025, **fields))
    LedgerEntry.objects.create(amount=D("500"), year=2024, **fields)  # another year is fine


def test_the_ledger_is_append_only():
    holder = HolderFactory()
    entry = LedgerEntry.objects.create(
        holder=holder,
        kind=MovementKind.YEARLY_CREDIT,
        bucket=Bucket.ACQUIRED,
        amount=D("500"),
        year=2025,
        effective_on=TODAY,
    )
    refused(lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("5000")))
    entry.refresh_from_db()
    assert entry.amount == D("500")


def test_movements_must_have_their_shape():
    holder = HolderFactory()
    base = {"holder": holder, "effective_on": TODAY}
    refused(
        lambda: LedgerEntry.objects.create(kind=MovementKind.YEARLY_CREDIT, bucket=Bucket.ACQUIRED, amount=1, **base)
    )
    refused(
        lambda: LedgerEntry.objects.create(kind=MovementKind.ENGAGEMENT, bucket=Bucket.ACQUIRED, amount=-1, **base)
    )
    refused(lambda: LedgerEntry.objects.create(kind=MovementKind.CORRECTION, bucket=Bucket.ACQUIRED, amount=5, **base))
    refused(lambda: LedgerEntry.objects.create(kind=MovementKind.TOP_UP, bucket=Bucket.TOP_UP, amount=5, **base))
    refused(lambda: LedgerEntry.objects.create(kind="gift", bucket=Bucket.ACQUIRED, amount=5, **base))


def test_top_up_remaining_stays_between_zero_and_its_amount():
    top_up = TopUp.objects.create(
        holder=HolderFactory(), funder_kind=FunderKind.REGION, funder_name="R", amount=D("100"), remaining=D("100")
    )
    refused(lambda: TopUp.objects.filter(pk=top_up.pk).update(remaining=D("100.01")))
    refused(lambda: TopUp.objects.filter(pk=top_up.pk).update(remaining=D("-1")))


def test_cannot_restore_more_than_engaged():
    engagement = Engagement.objects.create(
        holder=HolderFactory(), dossier_id=1, bucket=Bucket.ACQUIRED, amount=D("100"), restored=D("60")
    )
    refused(lambda: Engagement.objects.filter(pk=engagement.pk).update(forfeited=D("40.01")))
