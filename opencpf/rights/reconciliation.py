"""Reconciling the rights ledger over a period (a read: `reconcile_ledger` prints it, tests keep it true).

For each bucket (acquired rights, top-ups) and a period of effective dates [start, end]:

    opening + acquired + credited = balance + engaged + paid + forfeited + expired + returned

- opening: what the bucket held at the end of the day before `start`: its balance plus its rights engaged for
  training files and not yet settled (0 when the period starts with the ledger);
- acquired: yearly credits, and agents' corrections of acquired rights (signed), in the period;
- credited: top-ups added by funders, and agents' corrections of a top-up (signed), in the period;
- balance: the bucket's balance at the end of `end` (what the holders can still use);
- engaged: rights engaged for files and not yet settled at the end of `end` (left the balance, still the
  holder's until the file is settled);
- paid: rights that paid a training organisation in the period (`payment` rows, each linked to the
  organisation payment it funded);
- forfeited: engaged rights lost in the period (late cancellation, no-show, abandonment: the part not paid to
  the organisation; acquired rights that could not come back above the cap);
- expired: top-up money that expired in the period (its funder had not asked for it back);
- returned: top-up money gone back to its funder in the period (`funder_return`: the funder asked for unused money
  back, at expiry or when a cancelled file gives back money whose expiry date has passed).
  Rights restored to a holder's balance from a cancelled file move from `engaged` to `balance` and so
  appear on neither side; they are reported as `restored` for information.

Every movement is a ledger row with its amount, so the equation holds exactly when no row is missing. What
would show a missing or wrong row is compared with records kept independently of the ledger (`mismatches`), when
the period reaches the last movement: the balances of the accounts, the rights engaged per file (`Engagement`)
and, for every organisation payment paid from rights, its `from_rights` amount.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import F, Q, Sum

from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import Engagement, LedgerEntry, RightsAccount

ZERO = Decimal("0.00")
K = MovementKind
BUCKETS = (Bucket.ACQUIRED, Bucket.TOP_UP)


def _cents(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(ZERO)  # SQLite sums decimals as floats


@dataclasses.dataclass(frozen=True)
class BucketReconciliation:
    bucket: Bucket
    opening: Decimal
    acquired: Decimal
    credited: Decimal
    balance: Decimal
    engaged: Decimal
    paid: Decimal
    forfeited: Decimal
    expired: Decimal
    returned: Decimal
    restored: Decimal  # information only (engaged → balance)

    @property
    def sources(self) -> Decimal:
        return self.opening + self.acquired + self.credited

    @property
    def uses(self) -> Decimal:
        return self.balance + self.engaged + self.paid + self.forfeited + self.expired + self.returned

    @property
    def difference(self) -> Decimal:
        return self.sources - self.uses


@dataclasses.dataclass(frozen=True)
class Reconciliation:
    start: datetime.date
    end: datetime.date
    buckets: tuple[BucketReconciliation, ...]
    mismatches: tuple[str, ...]  # differences with the records kept outside the ledger

    @property
    def balanced(self) -> bool:
        return not self.mismatches and all(bucket.difference == 0 for bucket in self.buckets)


def ledger_reconciliation(*, start: datetime.date, end: datetime.date, holder_id: int | None = None) -> Reconciliation:
    """The equation above for every bucket over [start, end] (all holders, or one)."""
    entries = LedgerEntry.objects.filter(effective_on__lte=end).exclude(bucket=Bucket.NONE)
    if holder_id is not None:
        entries = entries.filter(holder_id=holder_id)
    sums: dict[tuple[str, str, bool], Decimal] = {}
    rows = entries.values("bucket", "kind").annotate(
        before=Sum("amount", filter=Q(effective_on__lt=start)), during=Sum("amount", filter=Q(effective_on__gte=start))
    )
    for row in rows:
        sums[(row["bucket"], row["kind"], True)] = _cents(row["before"])
        sums[(row["bucket"], row["kind"], False)] = _cents(row["during"])

    def total(bucket, kinds, *, before: bool | None = None) -> Decimal:
        periods = (True, False) if before is None else (before,)
        return sum((sums.get((bucket, kind, period), ZERO) for kind in kinds for period in periods), ZERO)

    def held(bucket, *, before: bool | None) -> tuple[Decimal, Decimal]:
        """(balance, engaged) from the rows before `start` (before=True) or up to `end` (None)."""
        balance = total(bucket, [k for k in K if k not in (K.PAYMENT, K.FORFEITURE)], before=before)
        # Engagements (negative) take from the balance, restorations give back, payments and forfeitures
        # (negative) leave the engaged rights for good.
        engaged = -total(bucket, [K.ENGAGEMENT, K.RESTORATION], before=before)
        engaged += total(bucket, [K.PAYMENT, K.FORFEITURE], before=before)
        return balance, engaged

    buckets = []
    for bucket in BUCKETS:
        opening = sum(held(bucket, before=True), ZERO)
        balance, engaged = held(bucket, before=None)
        correction = total(bucket, [K.CORRECTION], before=False)
        buckets.append(
            BucketReconciliation(
                bucket=bucket,
                opening=opening,
                acquired=total(bucket, [K.YEARLY_CREDIT], before=False)
                + (correction if bucket == Bucket.ACQUIRED else ZERO),
                credited=total(bucket, [K.TOP_UP], before=False) + (correction if bucket == Bucket.TOP_UP else ZERO),
                balance=balance,
                engaged=engaged,
                paid=-total(bucket, [K.PAYMENT], before=False),
                forfeited=-total(bucket, [K.FORFEITURE], before=False),
                expired=-total(bucket, [K.EXPIRY], before=False),
                returned=-total(bucket, [K.FUNDER_RETURN], before=False),
                restored=total(bucket, [K.RESTORATION], before=False),
            )
        )
    mismatches = []
    later = LedgerEntry.objects.filter(effective_on__gt=end)
    if holder_id is not None:
        later = later.filter(holder_id=holder_id)
    if not later.exists():
        mismatches = _mismatches(buckets, holder_id=holder_id)
    return Reconciliation(start=start, end=end, buckets=tuple(buckets), mismatches=tuple(mismatches))


def _mismatches(buckets: list[BucketReconciliation], *, holder_id: int | None) -> list[str]:
    """The ledger's closing positions against the records kept beside it."""
    by_bucket = {b.bucket: b for b in buckets}
    accounts = RightsAccount.objects.all() if holder_id is None else RightsAccount.objects.filter(pk=holder_id)
    totals = accounts.aggregate(acquired=Sum("acquired"), top_ups=Sum("top_ups"))
    engagements = Engagement.objects.all() if holder_id is None else Engagement.objects.filter(holder_id=holder_id)
    outstanding = {
        row["bucket"]: _cents(row["total"])
        for row in engagements.values("bucket").annotate(total=Sum(F("amount") - F("restored") - F("forfeited")))
    }
    found = []
    for bucket, account_total in ((Bucket.ACQUIRED, totals["acquired"]), (Bucket.TOP_UP, totals["top_ups"])):
        if by_bucket[bucket].balance != _cents(account_total):
            found.append(f"{bucket}: ledger balance {by_bucket[bucket].balance} ≠ accounts {_cents(account_total)}")
        if by_bucket[bucket].engaged != outstanding.get(bucket, ZERO):
            found.append(
                f"{bucket}: ledger engaged {by_bucket[bucket].engaged} ≠ files {outstanding.get(bucket, ZERO)}"
            )
    # The organisation payments, read through the ledger's link (the rights area does not import the files').
    payment_model = LedgerEntry._meta.get_field("organisation_payment").related_model
    payments = payment_model.objects.filter(from_rights__gt=0)
    if holder_id is not None:
        payments = payments.filter(dossier__holder_id=holder_id)
    linked = {
        row["organisation_payment_id"]: -_cents(row["total"])
        for row in LedgerEntry.objects.filter(kind=K.PAYMENT, organisation_payment__isnull=False)
        .values("organisation_payment_id")
        .annotate(total=Sum("amount"))
    }
    for payment_id, from_rights in payments.values_list("pk", "from_rights"):
        if linked.get(payment_id, ZERO) != _cents(from_rights):
            found.append(
                f"organisation payment {payment_id}: ledger {linked.get(payment_id, ZERO)} ≠ from rights {from_rights}"
            )
    return found
