"""What a holder's situation decides for their account, decided here once for the services that move money and the
selectors that show it: the priority group and the cap that follows, and whether the account is closed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Protocol

from opencpf.rights.rules.year import YearParameters


class Situation(Protocol):
    """A holder's confirmed situation (`accounts.Holder` has both flags)."""

    low_qualified: bool
    disabled_worker: bool


def in_priority_group(*, low_qualified: bool, disabled_worker: bool) -> bool:
    """No qualification of level 3 (CAP, BEP), or a disabled worker: the higher yearly amount and cap."""
    return bool(low_qualified or disabled_worker)


def holder_in_priority_group(holder: Situation) -> bool:
    return in_priority_group(low_qualified=holder.low_qualified, disabled_worker=holder.disabled_worker)


def holder_cap(holder: Situation, on: datetime.date) -> Decimal:
    """The cap on acquired rights in force on `on` for this holder (the priority cap for the priority groups)."""
    return YearParameters.for_year(on.year).cap_for(holder_in_priority_group(holder))


def account_closed_on(*, account: datetime.date | None, holder: datetime.date | None) -> datetime.date | None:
    """The day the account was closed, or None. A closure writes the date on both the rights account and the holder;
    either one is enough for the account to be closed, to the holder who reads it as to the movements refused."""
    return account or holder
