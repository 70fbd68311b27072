"""Failed sign-ins counted per identifier (NIR or email, whatever its spelling) and per source address, hashed:
too many lock it for a delay that doubles with each lock. Used by the sign-in and lifted by a password reset.
"""

import datetime
import ipaddress
import logging
import unicodedata

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opencpf.accounts.digests import digest
from opencpf.accounts.models import FailureCounter, User
from opencpf.accounts.nir import normalize_nir

logger = logging.getLogger(__name__)

IDENTIFIER_SCOPE = "identifier"
IP_SCOPE = "ip"
MAX_FAILURES = {IDENTIFIER_SCOPE: 5, IP_SCOPE: 30}
FAILURE_WINDOW = datetime.timedelta(minutes=15)
FIRST_LOCK = datetime.timedelta(minutes=15)
LONGEST_LOCK = datetime.timedelta(hours=24)
# A lock that ended this long ago without a new one is forgotten: the next lock is short again.
LOCKOUT_MEMORY = datetime.timedelta(hours=24)


# --- failure counters ------------------------------------------------------------------------------------------


def normalized_identifier(identifier: str) -> str:
    """NFKC + casefold: "ſophie@x.fr", "SOPHIE@x.fr" and "sophie@x.fr" are one identifier, on SQLite as on
    PostgreSQL (whose UPPER('ſ') is 'S'); a NIR loses its spaces and its case (2a = 2A)."""
    identifier = unicodedata.normalize("NFKC", identifier or "").strip().casefold()
    return identifier if "@" in identifier else normalize_nir(identifier)


def account_key(user: User) -> str:
    return digest(f"sign-in-account:{user.pk}")


def identifier_key(identifier: str, *, owner: User | None = None) -> str:
    """The counter of an identifier: the account's once it is found (its NIR and its email, in any spelling, share
    one counter), else the normalized identifier's (so an unknown identifier locks the same way)."""
    from opencpf.accounts.selectors import user_by_identifier

    owner = owner or user_by_identifier(identifier)
    if owner is not None:
        return account_key(owner)
    return digest(f"sign-in-identifier:{normalized_identifier(identifier)}")


def ip_key(ip: str | None) -> str:
    """IPv6 clients own a whole /64: count the network, not the address they rotate through."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return digest("sign-in-ip:unknown")
    if address.version == 6:
        if address.ipv4_mapped:
            address = address.ipv4_mapped
        else:
            return digest(f"sign-in-ip:{ipaddress.ip_network(f'{address}/64', strict=False)}")
    return digest(f"sign-in-ip:{address}")


def current_lock(*, id_key: str, client_ip: str | None, now: datetime.datetime | None = None, address: bool = True):
    """The end of the longest lock on this identifier or (unless `address` is False) this address, or None."""
    now = now or timezone.now()
    scopes = Q(scope=IDENTIFIER_SCOPE, key=id_key)
    if address:
        scopes |= Q(scope=IP_SCOPE, key=ip_key(client_ip))
    until = FailureCounter.objects.filter(scopes, locked_until__gt=now).values_list("locked_until", flat=True)
    return max(until, default=None)


def _count_failure(scope: str, key: str, now: datetime.datetime) -> datetime.datetime | None:
    FailureCounter.objects.bulk_create(
        [FailureCounter(scope=scope, key=key, window_started_at=now)], ignore_conflicts=True
    )
    counter = FailureCounter.objects.select_for_update().get(scope=scope, key=key)
    if counter.locked_until and counter.locked_until > now:
        return counter.locked_until
    if now - counter.window_started_at > FAILURE_WINDOW:
        counter.failures = 0
        counter.window_started_at = now
    if counter.lockouts and (counter.locked_until is None or now - counter.locked_until > LOCKOUT_MEMORY):
        counter.lockouts = 0
    counter.failures += 1
    if counter.failures >= MAX_FAILURES[scope]:
        counter.lockouts += 1
        counter.locked_until = now + min(FIRST_LOCK * 2 ** (counter.lockouts - 1), LONGEST_LOCK)
        counter.failures = 0
        counter.window_started_at = now
        # The key is a hash: the log never carries the NIR, the email or the address.
        logger.warning("Sign-in locked: %s %s… until %s", scope, key[:10], counter.locked_until.isoformat())
    counter.save()
    return counter.locked_until if counter.locked_until and counter.locked_until > now else None


@transaction.atomic
def count_failure(*, id_key: str, client_ip: str | None) -> datetime.datetime | None:
    """Count one failure for the identifier and for the address; return the end of a lock it caused, if any."""
    now = timezone.now()
    locks = [_count_failure(IDENTIFIER_SCOPE, id_key, now), _count_failure(IP_SCOPE, ip_key(client_ip), now)]
    return max((lock for lock in locks if lock), default=None)


def clear_failures(*, keys: list[str]) -> None:
    FailureCounter.objects.filter(scope=IDENTIFIER_SCOPE, key__in=keys).update(
        failures=0, lockouts=0, locked_until=None, window_started_at=timezone.now()
    )


def failure_counters_purge(*, dry_run: bool = False) -> int:
    """Drop counters that no longer matter (no lock in force, nothing for a day); run daily. A dry run counts
    the same counters and deletes nothing."""
    old = timezone.now() - LOCKOUT_MEMORY
    expired = FailureCounter.objects.filter(window_started_at__lt=old).filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=old)
    )
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted


def identifier_keys_of(user: User) -> list[str]:
    return [account_key(user)]
