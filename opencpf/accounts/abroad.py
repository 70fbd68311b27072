"""Holders abroad (DESIGN §2.7, §4.3): from an address outside the zone (France with its overseas territories, the
EU and the EEA: parameter `abroad/zone`), sign-in attempts beyond `abroad/daily_attempts` a day are refused before
anything else is checked, unless the account was granted personal access. The decision is made here only."""

import datetime

from django.utils import timezone

from opencpf.accounts.enums import SignInOutcome
from opencpf.accounts.models import SignInEvent, User
from opencpf.parameters.loader import value as parameter_value
from opencpf.utils.client import ClientInfo


def in_zone(country: str, on: datetime.date) -> bool:
    """An unknown country (private or unlisted address) is not held against anyone."""
    return not country or country.upper() in parameter_value("abroad/zone", on)


def has_personal_access(user: User | None, on: datetime.date) -> bool:
    holder = getattr(user, "holder", None) if user is not None and user.is_holder else None
    return bool(
        holder is not None
        and holder.abroad_access_granted_at is not None
        and (holder.abroad_access_until is None or holder.abroad_access_until >= on)
        and holder.closed_on is None
    )


def abroad_restricted(*, client: ClientInfo, owner: User | None) -> bool:
    """Is this attempt past the daily limit of its address, from outside the zone, for an account without personal
    access? Attempts are the sign-in history of the last 24 hours from this address (every attempt is recorded)."""
    today = timezone.localdate()
    if in_zone(client.country, today) or not client.ip or has_personal_access(owner, today):
        return False
    limit = int(parameter_value("abroad/daily_attempts", today))
    since = timezone.now() - datetime.timedelta(days=1)
    attempts = (
        SignInEvent.objects.filter(ip_address=client.ip, at__gt=since)
        .exclude(outcome=SignInOutcome.ABROAD_RESTRICTED)
        .count()
    )
    return attempts >= limit
