"""The account as a whole: an agent's correction of a balance, with its reason, and the closure of the account."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import ClosureReason
from opencpf.accounts.models import Holder, User
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import LedgerEntry, TopUp
from opencpf.rights.services.core import (
    ZERO,
    RightsError,
    _entry,
    _money,
    _refuse_if_closed,
    _save,
    _today,
    account_locked,
)


@transaction.atomic
def rights_correct(
    *,
    agent: User,
    holder: Holder,
    amount: Decimal,
    reason: str,
    top_up: TopUp | None = None,
    on_date: datetime.date | None = None,
) -> LedgerEntry:
    """An agent's correction of acquired rights (or of one top-up when `top_up` is given), with a reason.

    `amount` is signed. The result may not be negative nor put acquired rights above the cap.
    """
    if not agent.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can correct an account."))
    on_date = on_date or _today()
    amount = _money(amount)
    if amount == 0:
        raise RightsError(_("A correction changes the balance: give an amount other than 0."))
    if not (reason or "").strip():
        raise RightsError(_("Give the reason for the correction."))
    account = account_locked(holder)
    if top_up is None:
        if account.acquired + amount < 0:
            raise RightsError(_("Acquired rights cannot become negative."))
        if account.acquired + amount > account.cap:
            raise RightsError(_("Acquired rights cannot exceed the cap of %(cap)s €.") % {"cap": f"{account.cap:.2f}"})
        entry = _entry(
            account,
            kind=MovementKind.CORRECTION,
            bucket=Bucket.ACQUIRED,
            amount=amount,
            on_date=on_date,
            agent=agent,
            reason=reason.strip(),
        )
    else:
        top_up = TopUp.objects.select_for_update().get(pk=top_up.pk, holder=holder)
        if top_up.remaining + amount < 0 or top_up.remaining + amount > top_up.amount:
            raise RightsError(_("A top-up's balance stays between 0 and its amount."))
        top_up.remaining += amount
        top_up.save(update_fields=["remaining"])
        entry = _entry(
            account,
            kind=MovementKind.CORRECTION,
            bucket=Bucket.TOP_UP,
            amount=amount,
            on_date=on_date,
            agent=agent,
            reason=reason.strip(),
            top_up=top_up,
        )
    _save(account)
    return entry


@transaction.atomic
def account_close(*, holder: Holder, reason: ClosureReason | str, on_date: datetime.date | None = None) -> None:
    """Close the account (retirement pension liquidated, or death): no credit and no use after `on_date`."""
    on_date = on_date or _today()
    if reason not in ClosureReason.values:
        raise RightsError(_("Unknown closure reason."))
    account = account_locked(holder)
    _refuse_if_closed(account)
    account.closed_on = on_date
    Holder.objects.filter(pk=holder.pk).update(closed_on=on_date, closure_reason=reason, updated_at=timezone.now())
    holder.closed_on, holder.closure_reason = on_date, reason
    _entry(
        account,
        kind=MovementKind.CLOSURE,
        bucket=Bucket.NONE,
        amount=ZERO,
        on_date=on_date,
        details={"reason": str(reason)},
    )
    _save(account)
