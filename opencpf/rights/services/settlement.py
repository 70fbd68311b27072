"""Settling what a training file engaged: the rights given back to the buckets they came from (`rights_restore`), or
leaving the account for good, lost or paid to the organisation (`rights_forfeit`); all, an amount, or per bucket."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import Holder
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import Engagement, LedgerEntry, TopUp
from opencpf.rights.services.core import (
    ZERO,
    BucketKey,
    NothingToSettle,
    RightsError,
    _entry,
    _expire_entry,
    _money,
    _save,
    _today,
    account_locked,
)


def _outstanding(holder: Holder, dossier_id: int) -> list[Engagement]:
    """The file's engaged parts not yet restored or forfeited, last taken first, locked."""
    parts = Engagement.objects.select_for_update().filter(holder=holder, dossier_id=dossier_id).order_by("-id")
    return [part for part in parts if part.outstanding > 0]


def _allocate(
    parts: list[Engagement], amount: Decimal | None, by_bucket: Mapping[BucketKey, Decimal] | None
) -> list[tuple[Engagement, Decimal]]:
    """Which engaged parts to settle and how much of each: everything, `amount` (last taken first), or the
    amounts given per bucket (`{"acquired": …, top_up_id: …}`)."""
    outstanding = sum((part.outstanding for part in parts), ZERO)
    if outstanding <= 0:
        raise NothingToSettle(_("No rights are engaged for this training file."))
    if by_bucket is not None:
        if amount is not None:
            raise RightsError(_("Give either an amount or amounts per bucket, not both."))
        allocations = []
        for key, value in by_bucket.items():
            value = _money(value)
            if value < 0:
                raise RightsError(_("The amount must be more than 0 €."))
            matching = [
                part
                for part in parts
                if (key == Bucket.ACQUIRED and part.bucket == Bucket.ACQUIRED)
                or (key != Bucket.ACQUIRED and part.top_up_id == key)
            ]
            engaged = sum((part.outstanding for part in matching), ZERO)
            if value > engaged:
                raise RightsError(
                    _("Only %(outstanding)s € are engaged from this bucket for this training file.")
                    % {"outstanding": f"{engaged:.2f}"}
                )
            left = value
            for part in matching:
                take = min(part.outstanding, left)
                if take > 0:
                    allocations.append((part, take))
                    left -= take
        if not allocations:
            raise RightsError(_("The amount must be more than 0 €."))
        return allocations
    if amount is None:
        left = outstanding
    else:
        left = _money(amount)
        if left <= 0:
            raise RightsError(_("The amount must be more than 0 €."))
        if left > outstanding:
            raise RightsError(
                _("Only %(outstanding)s € are engaged for this training file.") % {"outstanding": f"{outstanding:.2f}"}
            )
    allocations = []
    for part in parts:
        take = min(part.outstanding, left)
        if take > 0:
            allocations.append((part, take))
            left -= take
    return allocations


@dataclass(frozen=True)
class Restoration:
    restored: Decimal
    lost_to_cap: Decimal  # acquired rights that could not come back because the cap was reached meanwhile
    expired: Decimal  # top-ups restored after their expiry date (or file top-ups), expired or returned at once
    entries: tuple[LedgerEntry, ...] = field(default=())


@transaction.atomic
def rights_restore(
    *,
    holder: Holder,
    dossier_id: int,
    on_date: datetime.date | None = None,
    amount: Decimal | None = None,
    by_bucket: Mapping[BucketKey, Decimal] | None = None,
    reason: str = "",
    despite_expiry: bool = False,
) -> Restoration:
    """Give back what a training file took: all of it, `amount` of it (the unused part after force majeure),
    or given amounts per bucket (`by_bucket={"acquired": Decimal("120.00"), top_up_id: Decimal("80.00")}`).

    Money returns to the bucket it came from; with `amount`, the last taken first (acquired rights first).
    Acquired rights never go above the cap: what cannot return is recorded as forfeited. A top-up whose
    expiry date has passed is restored and expired at once, unless `despite_expiry` (a confirmed scam: the holder
    must not lose what was taken from them): then its expiry moves back so that it has, from `on_date`, the time
    it had left when the file took the money. Works on a closed account (files are settled).
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    parts = _outstanding(holder, dossier_id)
    restored = lost = expired = ZERO
    entries = []
    for part, take in _allocate(parts, amount, by_bucket):
        if part.bucket == Bucket.ACQUIRED:
            back = min(take, max(ZERO, account.cap - account.acquired))
            clipped = take - back
            if back:
                entries.append(
                    _entry(
                        account,
                        kind=MovementKind.RESTORATION,
                        bucket=Bucket.ACQUIRED,
                        amount=back,
                        on_date=on_date,
                        dossier_id=dossier_id,
                        reason=reason,
                    )
                )
            if clipped:
                entries.append(
                    _entry(
                        account,
                        kind=MovementKind.FORFEITURE,
                        bucket=Bucket.ACQUIRED,
                        amount=-clipped,
                        on_date=on_date,
                        dossier_id=dossier_id,
                        reason=reason,
                        details={"cause": "cap"},
                    )
                )
            part.restored += back
            part.forfeited += clipped
            restored += back
            lost += clipped
        else:
            top_up = TopUp.objects.select_for_update().get(pk=part.top_up_id)
            top_up.remaining += take
            entries.append(
                _entry(
                    account,
                    kind=MovementKind.RESTORATION,
                    bucket=Bucket.TOP_UP,
                    amount=take,
                    on_date=on_date,
                    dossier_id=dossier_id,
                    top_up=top_up,
                    reason=reason,
                )
            )
            if despite_expiry and top_up.expires_on is not None and top_up.expires_on < on_date:
                left_then = max(datetime.timedelta(0), top_up.expires_on - timezone.localdate(part.created_at))
                top_up.expires_on = on_date + left_then
                top_up.save(update_fields=["expires_on"])
            if top_up.for_dossier_id is not None or (top_up.expires_on is not None and top_up.expires_on < on_date):
                top_up.remaining -= take
                entries.append(_expire_entry(account, top_up=top_up, amount=take, on_date=on_date))
                expired += take
            top_up.save(update_fields=["remaining"])
            part.restored += take
            restored += take
        part.save(update_fields=["restored", "forfeited"])
    _save(account)
    return Restoration(restored=restored, lost_to_cap=lost, expired=expired, entries=tuple(entries))


@transaction.atomic
def rights_forfeit(
    *,
    holder: Holder,
    dossier_id: int,
    on_date: datetime.date | None = None,
    amount: Decimal | None = None,
    by_bucket: Mapping[BucketKey, Decimal] | None = None,
    reason: str = "",
    organisation_payment_id: int | None = None,
) -> Decimal:
    """Record that rights engaged for a file leave the account for good: lost (late cancellation, no-show,
    abandon), or, with `organisation_payment_id`, paid to the organisation by that payment. All of them,
    `amount` of them, or amounts per bucket. One ledger row per engaged part, with its amount (negative).

    The balance does not change (the rights left it when they were engaged); the history says why.
    Returns the amount forfeited.
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    parts = _outstanding(holder, dossier_id)
    kind = MovementKind.FORFEITURE if organisation_payment_id is None else MovementKind.PAYMENT
    total = ZERO
    for part, take in _allocate(parts, amount, by_bucket):
        part.forfeited += take
        part.save(update_fields=["forfeited"])
        total += take
        _entry(
            account,
            kind=kind,
            bucket=part.bucket,
            amount=-take,
            on_date=on_date,
            dossier_id=dossier_id,
            top_up_id=part.top_up_id,
            organisation_payment_id=organisation_payment_id,
            reason=reason,
        )
    _save(account)
    return total
