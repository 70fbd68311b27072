"""The yearly credit of one holder, from their declarations of the year (the batch for everyone is
`opencpf.rights.crediting`, which shares `credit_details`)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from opencpf.accounts.models import Holder
from opencpf.rights import rules
from opencpf.rights.enums import Bucket, MovementKind
from opencpf.rights.models import LedgerEntry
from opencpf.rights.selectors.declarations import YearDeclarations, declarations_by_year
from opencpf.rights.services.core import _entry, _refuse_if_closed, _save, _today, account_locked


def declarations_for(holder_id: int, year: int) -> YearDeclarations:
    """The year's declarations as the rules read them (the history reads them the same way)."""
    return declarations_by_year(holder_id, (year,))[year]


def credit_details(*, low_qualified: bool, disabled_worker: bool) -> dict:
    """What a yearly credit entry keeps to explain itself later, with that year's declarations and the
    acquired balance before it (the sum of the holder's earlier entries): the priority flags of the day."""
    return {"low_qualified": low_qualified, "disabled_worker": disabled_worker}


@transaction.atomic
def rights_credit_year(*, holder: Holder, year: int, on_date: datetime.date | None = None) -> LedgerEntry | None:
    """Credit the holder for year N from their declarations of year N (idempotent).

    Returns the yearly credit entry (the existing one if N was already credited), or None when there is
    no declaration for N. Refuses a closed account. `credit_rights` does the same for everyone, in bulk.
    """
    on_date = on_date or _today()
    account = account_locked(holder)
    _refuse_if_closed(account)
    existing = LedgerEntry.objects.filter(holder=holder, kind=MovementKind.YEARLY_CREDIT, year=year).first()
    if existing is not None:
        return existing
    employments, activity = declarations_for(holder.pk, year)
    if not employments and activity is None:
        return None
    result = rules.yearly_credit(
        year=year,
        employments=employments,
        self_employment=activity,
        low_qualified=holder.low_qualified,
        disabled_worker=holder.disabled_worker,
        balance=account.acquired,
    )
    try:
        with transaction.atomic():  # the batch may have credited this holder meanwhile: the database decides
            entry = _entry(
                account,
                kind=MovementKind.YEARLY_CREDIT,
                bucket=Bucket.ACQUIRED,
                amount=result.credit,
                on_date=on_date,
                year=year,
                details=credit_details(low_qualified=holder.low_qualified, disabled_worker=holder.disabled_worker),
            )
    except IntegrityError:
        return LedgerEntry.objects.get(holder=holder, kind=MovementKind.YEARLY_CREDIT, year=year)
    if result.credit:
        account.cap = result.cap
    _save(account)
    return entry
