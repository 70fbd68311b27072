"""What every movement of a holder's money shares: the errors, the holder's account row locked, the ledger entry
that moves a balance, the refusal of a closed account, and a top-up's unused money leaving at expiry."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import Holder
from opencpf.rights.enums import SETTLEMENT_KINDS, Bucket, MovementKind
from opencpf.rights.models import LedgerEntry, RightsAccount, TopUp
from opencpf.rights.rules.holder import account_closed_on, holder_cap
from opencpf.utils.formatting import long_date

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
BucketKey = int | str  # Bucket.ACQUIRED ("acquired") or a top-up's id


class RightsError(Exception):
    """A movement the rules refuse; str(error) is a message for the user."""


class AccountClosed(RightsError):
    pass


class InsufficientRights(RightsError):
    def __init__(self, message: str, available: Decimal):
        super().__init__(message)
        self.available = available


class NothingToSettle(RightsError):
    pass


def _money(amount: Decimal | int | str) -> Decimal:
    value = Decimal(amount)
    if value != value.quantize(CENT):
        raise RightsError(_("An amount has at most two decimals."))
    return value.quantize(CENT)


def _today() -> datetime.date:
    return timezone.localdate()


def current_cap(holder: Holder, on_date: datetime.date | None = None) -> Decimal:
    """The cap on acquired rights in force for this holder (the priority cap for the priority groups)."""
    return holder_cap(holder, on_date or _today())


def account_locked(holder: Holder) -> RightsAccount:
    """The holder's account row, created if missing, locked until the end of the transaction."""
    # By id, so that the caller's `holder.rights_account` is not left caching a stale in-memory row.
    RightsAccount.objects.get_or_create(holder_id=holder.pk, defaults={"cap": current_cap(holder)})
    return RightsAccount.objects.select_for_update().get(pk=holder.pk)


def _entry(account: RightsAccount, *, kind: str, bucket: str, amount: Decimal, on_date, **fields) -> LedgerEntry:
    """Write one movement and apply it to the (locked) account's balance in memory; callers save the account.
    Settlements of engaged rights leave the balance as it is (it moved at engagement)."""
    entry = LedgerEntry.objects.create(
        holder_id=account.pk, kind=kind, bucket=bucket, amount=amount, effective_on=on_date, **fields
    )
    if kind in SETTLEMENT_KINDS:
        pass
    elif bucket == Bucket.ACQUIRED:
        account.acquired += amount
    elif bucket == Bucket.TOP_UP:
        account.top_ups += amount
    return entry


def _save(account: RightsAccount) -> None:
    account.updated_at = timezone.now()
    account.save(update_fields=["acquired", "top_ups", "cap", "closed_on", "updated_at"])


def _refuse_if_closed(account: RightsAccount) -> None:
    # The holder's row is read from the database (the caller's object may be stale), and only when the locked
    # account row does not already say the account is closed.
    holder_closed_on = (
        None if account.closed_on else Holder.objects.filter(pk=account.pk).values_list("closed_on", flat=True)[0]
    )
    closed_on = account_closed_on(account=account.closed_on, holder=holder_closed_on)
    if closed_on is not None:
        raise AccountClosed(
            _("This account was closed on %(date)s: it can no longer be used or credited.")
            % {"date": long_date(closed_on)}
        )


def _expire_entry(account: RightsAccount, *, top_up: TopUp, amount: Decimal, on_date) -> LedgerEntry:
    """The one decision on a top-up's unused money once its date has passed (or, for a file top-up, once the file
    gives it back): back to the funder when that was agreed (`funder_return`), else it expires. The caller lowers
    `top_up.remaining` by `amount` (so nothing can go back twice: a top-up at 0 has nothing left to expire or
    return)."""
    return _entry(
        account,
        kind=MovementKind.FUNDER_RETURN if top_up.return_unused else MovementKind.EXPIRY,
        bucket=Bucket.TOP_UP,
        amount=-amount,
        on_date=on_date,
        top_up=top_up,
        details={"expires_on": top_up.expires_on.isoformat()} if top_up.expires_on else {},
    )
