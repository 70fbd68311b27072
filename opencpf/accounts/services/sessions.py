"""Web sessions, API tokens, signing out everywhere, and locking an account."""

import datetime
import hashlib
import secrets
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from opencpf.accounts.models import ApiToken, KnownDevice, User, UserSession
from opencpf.accounts.services.core import audit
from opencpf.utils.client import ClientInfo

API_TOKEN_LIFETIME = datetime.timedelta(days=30)


def api_token_create(*, user: User) -> tuple[str, ApiToken]:
    """Return the clear token (shown once) and its record."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=hashlib.sha256(key.encode()).hexdigest(), expires_at=timezone.now() + API_TOKEN_LIFETIME
    )
    return key, token


# --- web sessions, API tokens, devices ------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_open(*, user: User, session_key: str | None, client: ClientInfo) -> UserSession | None:
    """List a freshly opened web session on "My security"."""
    if not session_key:
        return None
    # Forget the rows of sessions that ended on their own (expired, or signed out by the browser's cleanup).
    from django.contrib.sessions.models import Session

    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=alive).delete()
    session, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "created_at": timezone.now(),
            "ip_address": client.ip,
            "country": client.country,
            "device": client.device[:200],
        },
    )
    return session


def session_close(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    rows = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    store = _session_store()()
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store.delete(key)
    rows.delete()
    return len(keys)


def _tokens_revoke(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def session_revoke(*, user: User, session_id: int, ip: str | None = None) -> bool:
    """End one of the user's web sessions (never someone else's)."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    _session_store()().delete(row.session_key)
    audit(actor=user, action="session_revoked", target=f"user:{user.pk}", ip=ip, device=row.device)
    row.delete()
    return True


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int, ip: str | None = None) -> bool:
    """Sign one application out (a lost phone): its bearer token stops at once; never someone else's."""
    revoked = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit(actor=user, action="api_token_revoked", target=f"user:{user.pk}", ip=ip, token=token_id)
    return bool(revoked)


@transaction.atomic
def sign_out_everywhere(*, user: User, ip: str | None = None) -> None:
    """Every web session ends (listed or not), every API token is revoked, every remembered device is forgotten."""
    sessions = _sessions_end(user=user)
    tokens = _tokens_revoke(user=user)
    devices, _by_model = KnownDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(sessions_epoch=F("sessions_epoch") + 1)
    user.refresh_from_db(fields=["sessions_epoch"])
    audit(
        actor=user,
        action="signed_out_everywhere",
        target=f"user:{user.pk}",
        ip=ip,
        sessions=sessions,
        tokens=tokens,
        devices=devices,
    )


@transaction.atomic
def account_lock(*, user: User, actor: User | None, reason: str, ip: str | None = None) -> None:
    """Lock an account at once: every web session and API token ends, every remembered device is forgotten.
    Locked by its holder (a scam report), the password is replaced by an unknown one, so that signing in again
    needs a password reset; locked by an agent, the account is deactivated until an agent unlocks it."""
    by_agent = actor is not None and actor.is_agent
    if by_agent:
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        user.set_password(secrets.token_urlsafe(48))
        user.save(update_fields=["password"])
    _sessions_end(user=user)
    _tokens_revoke(user=user)
    KnownDevice.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(sessions_epoch=F("sessions_epoch") + 1)
    user.refresh_from_db(fields=["sessions_epoch"])
    audit(actor=actor, action="account_locked", target=f"user:{user.pk}", ip=ip, reason=reason, by_agent=by_agent)


@transaction.atomic
def account_unlock(*, user: User, actor: User, reason: str, ip: str | None = None) -> None:
    """An agent lifts their lock; the holder still signs in with their own password (or resets it)."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit(actor=actor, action="account_unlocked", target=f"user:{user.pk}", ip=ip, reason=reason)
