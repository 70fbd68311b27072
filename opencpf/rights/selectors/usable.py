"""What can fund a given training (certification code or offer, on a date): the usable top-ups and acquired
rights, and their sum. Which are used first is not decided here (`dossiers.rules.funding_order`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from opencpf.accounts.models import Holder
from opencpf.rights.enums import Bucket
from opencpf.rights.models import RightsAccount, TopUp
from opencpf.rights.rules.holder import account_closed_on

ZERO = Decimal("0.00")


def rights_available(
    *,
    holder: Holder,
    on_date: datetime.date | None = None,
    certification_code: str = "",
    offer_id: int | None = None,
) -> Decimal:
    """What could fund a training with this certification code or offer id on `on_date`."""
    buckets = rights_buckets(holder=holder, on_date=on_date, certification_code=certification_code, offer_id=offer_id)
    return sum((bucket.amount for bucket in buckets), ZERO)


def usable_top_ups(
    holder_id: int,
    on_date: datetime.date,
    certification_code: str = "",
    offer_id: int | None = None,
    dossier_id: int | None = None,
) -> list[TopUp]:
    """The top-ups that can fund this training on `on_date` (not expired, not earmarked for another training, not
    a file top-up of another file), by id. Which are used first is decided once, by `dossiers.rules.funding_order`."""
    candidates = (
        TopUp.objects.filter(holder_id=holder_id, remaining__gt=0)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on_date))
        .filter(Q(for_dossier_id__isnull=True) | Q(for_dossier_id=dossier_id))
    )
    usable = [t for t in candidates if t.matches(certification_code=certification_code, offer_id=offer_id)]
    return sorted(usable, key=lambda t: t.pk)


@dataclass(frozen=True)
class UsableBucket:
    """Money that can fund a given training (the funding plan decides how much of each is used)."""

    id: int | str  # "acquired", or the top-up's id
    kind: str  # Bucket.ACQUIRED or Bucket.TOP_UP
    amount: Decimal
    earmarked_for_this_training: bool = False
    expires_on: datetime.date | None = None
    funder_kind: str = ""
    for_this_file: bool = False  # a file top-up ("abondement") of this very file


def rights_buckets(
    *,
    holder: Holder,
    on_date: datetime.date | None = None,
    certification_code: str = "",
    offer_id: int | None = None,
    dossier_id: int | None = None,
) -> list[UsableBucket]:
    """The buckets usable for a training (certification code or offer id) on `on_date`: top-ups by id, then
    acquired rights. Empty for a closed account. Not an order of use (`dossiers.rules.funding_order` decides)."""
    on_date = on_date or timezone.localdate()
    account = RightsAccount.objects.filter(pk=holder.pk).first()
    if account is None or account_closed_on(account=account.closed_on, holder=holder.closed_on):
        return []
    buckets = [
        UsableBucket(
            id=t.pk,
            kind=Bucket.TOP_UP,
            amount=t.remaining,
            earmarked_for_this_training=t.is_earmarked,
            expires_on=t.expires_on,
            funder_kind=t.funder_kind,
            for_this_file=t.for_dossier_id is not None,
        )
        for t in usable_top_ups(holder.pk, on_date, certification_code, offer_id, dossier_id)
    ]
    if account.acquired > 0:
        buckets.append(UsableBucket(id=Bucket.ACQUIRED.value, kind=Bucket.ACQUIRED, amount=account.acquired))
    return buckets
