"""The devices a user signed in from: a known device skips the emailed code and the address lock."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from opencpf.accounts import services
from opencpf.accounts.models import KnownDevice, User
from opencpf.utils.client import ClientInfo

DEVICE_LIFETIME = datetime.timedelta(days=365)


def device_hash(token: str) -> str:
    return hashlib.sha256(f"opencpf-device:{token}".encode()).hexdigest()


def device_is_known(*, user: User, token: str | None) -> bool:
    if not token:
        return False
    return KnownDevice.objects.filter(
        user=user, token_hash=device_hash(token), last_seen_at__gt=timezone.now() - DEVICE_LIFETIME
    ).exists()


def device_remember(*, user: User, client: ClientInfo, token: str | None = None) -> str:
    """Remember this browser for the user (reusing the browser's token if it has one); returns the token."""
    token = token or secrets.token_urlsafe(32)
    # One statement: inserted, or (a device seen before) its label and last sighting brought up to date.
    KnownDevice.objects.bulk_create(
        [
            KnownDevice(
                user=user, token_hash=device_hash(token), label=client.device[:200], last_seen_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "token_hash"],
        update_fields=["label", "last_seen_at"],
    )
    return token


@transaction.atomic
def device_forget(*, user: User, device_id: int, ip: str | None = None) -> bool:
    deleted, _by_model = KnownDevice.objects.filter(user=user, pk=device_id).delete()
    if deleted:
        services.audit(actor=user, action="device_forgotten", target=f"user:{user.pk}", ip=ip)
    return bool(deleted)
