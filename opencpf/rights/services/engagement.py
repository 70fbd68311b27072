"""A training file takes the holder's money: the funding plan's split debited, all or nothing, once it is checked
that each part can still be taken today."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts.models import Holder
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import Engagement, TopUp
from opencpf.rights.selectors.usable import usable_top_ups
from opencpf.rights.services.core import (
    ZERO,
    BucketKey,
    InsufficientRights,
    RightsError,
    _entry,
    _money,
    _refuse_if_closed,
    _save,
    _today,
    account_locked,
)


@transaction.atomic
def rights_engage(
    *,
    holder: Holder,
    dossier_id: int,
    split: Sequence[tuple[BucketKey, Decimal]],
    on_date: datetime.date | None = None,
    certification_code: str = "",
    offer_id: int | None = None,
) -> list[Engagement]:
    """Debit a training file's split, all or nothing: `split` is the funding plan's `[(bucket, amount), …]`
    ("acquired" or a top-up's id), in its order. The plan (`dossiers.rules.funding_plan`) decides the split; this
    only checks that each part can still be taken today: the account is open, acquired rights cover their part,
    each top-up is the holder's, not expired on `on_date`, usable for this training (earmark) and holds enough.

    Raises AccountClosed, or InsufficientRights (with `.available`, what the usable buckets hold) when a part no
    longer fits (another file used the rights meanwhile). Returns the engagement rows, one per part.
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    _refuse_if_closed(account)
    usable = {t.pk: t for t in usable_top_ups(holder.pk, on_date, certification_code, offer_id, dossier_id)}
    parts: list[tuple[TopUp | None, Decimal]] = []
    wanted: dict[BucketKey, Decimal] = {}
    for key, amount in split:
        amount = _money(amount)
        if amount <= 0:
            raise RightsError(_("The amount to use must be more than 0 €."))
        wanted[key] = wanted.get(key, ZERO) + amount
        parts.append((None if key == Bucket.ACQUIRED else usable.get(key), amount))
    fits = all(
        (key == Bucket.ACQUIRED and amount <= account.acquired) or (key in usable and amount <= usable[key].remaining)
        for key, amount in wanted.items()
    )
    if not parts or not fits:
        available = account.acquired + sum((t.remaining for t in usable.values()), ZERO)
        raise InsufficientRights(
            _("Your usable rights changed (%(available)s € usable now): review the amounts.")
            % {"available": f"{available:.2f}"},
            available=available,
        )
    engagements = []
    for top_up, take in parts:
        bucket = Bucket.ACQUIRED if top_up is None else Bucket.TOP_UP
        if top_up is not None:
            top_up.remaining -= take
            top_up.save(update_fields=["remaining"])
        engagements.append(
            Engagement.objects.create(holder=holder, dossier_id=dossier_id, bucket=bucket, top_up=top_up, amount=take)
        )
        _entry(
            account,
            kind=MovementKind.ENGAGEMENT,
            bucket=bucket,
            amount=-take,
            on_date=on_date,
            dossier_id=dossier_id,
            top_up=top_up,
        )
    _save(account)
    return engagements
