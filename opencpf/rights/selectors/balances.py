"""What a holder has: the balances split by bucket (acquired rights, each top-up), and the ledger sums they must
equal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from opencpf.accounts.models import Holder
from opencpf.rights.enums import SETTLEMENT_KINDS, Bucket, FunderKind
from opencpf.rights.models import LedgerEntry, RightsAccount, TopUp
from opencpf.rights.rules.holder import account_closed_on, holder_cap

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TopUpBalance:
    id: int
    funder_name: str
    funder_kind: str
    funder_kind_label: str
    amount: Decimal
    remaining: Decimal
    expires_on: datetime.date | None
    earmark_certifications: tuple[str, ...]
    earmark_offers: tuple[int, ...]
    created_on: datetime.date
    return_unused: bool = False
    for_dossier_id: int | None = None  # a file top-up: only for this training file


@dataclass(frozen=True)
class Balance:
    acquired: Decimal
    top_ups: Decimal
    cap: Decimal
    closed_on: datetime.date | None
    top_up_list: tuple[TopUpBalance, ...]

    @property
    def total(self) -> Decimal:
        return self.acquired + self.top_ups

    @property
    def room_under_cap(self) -> Decimal:
        return max(ZERO, self.cap - self.acquired)


def rights_balance(holder: Holder, on_date: datetime.date | None = None) -> Balance:
    account = RightsAccount.objects.filter(pk=holder.pk).first()
    cap = holder_cap(holder, on_date or timezone.localdate())
    # account.top_ups == sum(top_up.remaining) (the invariant of opencpf.rights.services, kept by every entry):
    # at zero there is nothing to list, and most holders' pages skip the query.
    top_ups = (
        TopUp.objects.filter(holder=holder, remaining__gt=0).order_by("expires_on", "id")
        if account is None or account.top_ups
        else ()
    )
    return Balance(
        acquired=account.acquired if account else ZERO,
        top_ups=account.top_ups if account else ZERO,
        cap=cap,
        closed_on=account_closed_on(account=account.closed_on if account else None, holder=holder.closed_on),
        top_up_list=tuple(
            TopUpBalance(
                id=t.pk,
                funder_name=t.funder_name,
                funder_kind=t.funder_kind,
                funder_kind_label=str(FunderKind(t.funder_kind).label),
                amount=t.amount,
                remaining=t.remaining,
                expires_on=t.expires_on,
                earmark_certifications=tuple(t.earmark_certifications),
                earmark_offers=tuple(t.earmark_offers),
                created_on=t.created_at.date(),
                return_unused=t.return_unused,
                for_dossier_id=t.for_dossier_id,
            )
            for t in top_ups
        ),
    )


def ledger_sums(holder_id: int) -> dict[str, Decimal]:
    """Sum of the ledger's balance movements per bucket (the balances must equal it)."""
    sums = {Bucket.ACQUIRED.value: ZERO, Bucket.TOP_UP.value: ZERO}
    movements = LedgerEntry.objects.filter(holder_id=holder_id).exclude(kind__in=SETTLEMENT_KINDS)
    for row in movements.values("bucket").annotate(total=Sum("amount")):
        if row["bucket"] in sums:
            sums[row["bucket"]] = (row["total"] or ZERO).quantize(ZERO)  # SQLite sums decimals as floats
    return sums
