import hashlib

from django.db.models import Q
from django.utils import timezone

from opencpf.accounts.models import ApiToken, User
from opencpf.accounts.nir import normalize_nir


def user_by_identifier(identifier: str) -> User | None:
    """A user from an email or a NIR (spaces allowed), or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        condition = Q(email__iexact=identifier)
    else:
        condition = Q(holder__nir=normalize_nir(identifier))
    return User.objects.filter(condition).select_related("holder").first()


def user_by_api_key(key: str) -> User | None:
    digest = hashlib.sha256((key or "").encode()).hexdigest()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest, revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return token.user if token else None
