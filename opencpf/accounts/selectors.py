import hashlib
import unicodedata

from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import ApiToken, Holder, KnownDevice, OneTimeCode, SignInEvent, User, UserSession
from opencpf.accounts.nir import normalize_nir


def user_by_identifier(identifier: str) -> User | None:
    """A user from an email or a NIR (spaces allowed), or None."""
    # NFKC + casefold first: the same account on SQLite and PostgreSQL for every spelling ("ſ", "K" Kelvin…).
    identifier = unicodedata.normalize("NFKC", identifier or "").strip().casefold()
    if not identifier:
        return None
    if "@" in identifier:
        condition = Q(email__iexact=identifier)
    else:
        condition = Q(holder__nir=normalize_nir(identifier))
    return User.objects.filter(condition).select_related("holder").first()


def user_by_api_key(key: str) -> User | None:
    """The user of a live token, with the holder every holder endpoint needs (every API call asks: one query, the
    user's and holder's columns only, no ordering since the key is unique)."""
    digest = hashlib.sha256((key or "").encode()).hexdigest()
    users = User.objects.select_related("holder").filter(
        is_active=True,
        api_tokens__key_hash=digest,
        api_tokens__revoked_at__isnull=True,
        api_tokens__expires_at__gt=timezone.now(),
    )
    return next(iter(users[:1]), None)


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def sign_in_history(user: User, limit: int = 30) -> list[SignInEvent]:
    return list(SignInEvent.objects.filter(user=user).order_by("-at")[:limit])


def active_sessions(user: User) -> list[UserSession]:
    """Web sessions still alive (the session store still has them), newest first."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(UserSession.objects.filter(user=user, session_key__in=alive).order_by("-created_at"))


def known_devices(user: User) -> list[KnownDevice]:
    return list(KnownDevice.objects.filter(user=user).order_by("-last_seen_at"))


def live_api_tokens(user: User) -> list[ApiToken]:
    """The applications signed in with a bearer token (mobile app, scripts), newest first."""
    return list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
            "-created_at", "-id"
        )
    )


def api_token_id_of(key: str) -> int | None:
    """The id of the token a request signs with (to mark "this application" in lists)."""
    digest = hashlib.sha256((key or "").encode()).hexdigest()
    return ApiToken.objects.filter(key_hash=digest).values_list("id", flat=True).first()


def active_api_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).count()


def pending_change(user: User, purpose: CodePurpose) -> str | None:
    """The new email or phone waiting for its code, if a live code exists."""
    return (
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .values_list("payload", flat=True)
        .first()
    )


def _comparable_name(name: str) -> str:
    """ "Dupré-Martin" and "DUPRE MARTIN" compare equal: no accents, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in letters.casefold() if c.isalnum())


def holder_by_nir_and_name(nir: str, last_name: str) -> Holder | None:
    """The holder with this NIR whose birth name matches (how funders and agents designate a holder), or None:
    a NIR alone is not enough, and the answer never says which of the two did not match."""
    holder = Holder.objects.filter(nir=normalize_nir(nir)).first()
    if (
        holder is None
        or not _comparable_name(last_name)
        or _comparable_name(holder.last_name) != _comparable_name(last_name)
    ):
        return None
    return holder
