"""Everything that writes accounts: registration, one-time codes, API tokens, audit."""

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.digests import digest
from opencpf.accounts.enums import CodePurpose, HolderStatus, Role
from opencpf.accounts.models import ApiToken, AuditEvent, Holder, KnownDevice, OneTimeCode, User, UserSession
from opencpf.accounts.sms import send_sms
from opencpf.utils.client import ClientInfo
from opencpf.utils.emails import send_email

CODE_LIFETIME = datetime.timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
CODES_PER_WINDOW = 5
CODES_WINDOW = datetime.timedelta(minutes=15)
API_TOKEN_LIFETIME = datetime.timedelta(days=30)


@dataclass(frozen=True)
class HolderData:
    nir: str
    last_name: str
    first_names: str
    birth_date: datetime.date
    email: str
    phone: str
    address_line1: str
    postal_code: str
    city: str
    country: str
    status: HolderStatus
    low_qualified: bool
    disabled_worker: bool
    address_line2: str = ""


@transaction.atomic
def holder_register(*, data: HolderData, password: str, language: str = "fr") -> Holder:
    """Create the user and the holder together (the database refuses a second account for a NIR or email)."""
    user = User.objects.create_user(
        email=data.email,
        password=password,
        role=Role.HOLDER,
        display_name=f"{data.first_names} {data.last_name}",
        language=language,
    )
    holder = Holder.objects.create(
        user=user,
        nir=data.nir,
        last_name=data.last_name,
        first_names=data.first_names,
        birth_date=data.birth_date,
        phone=data.phone,
        address_line1=data.address_line1,
        address_line2=data.address_line2,
        postal_code=data.postal_code,
        city=data.city,
        country=data.country,
        status=data.status,
        low_qualified=data.low_qualified,
        disabled_worker=data.disabled_worker,
    )
    audit(actor=user, action="holder_registered", target=f"holder:{holder.pk}")
    code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
    return holder


NIR_TAKEN = gettext_lazy("An account already exists for this social security number.")
REGISTRATIONS_PER_ADDRESS = 10
REGISTRATIONS_PER_IDENTIFIER = 3
REGISTRATION_WINDOW = datetime.timedelta(hours=1)


class TooManyRegistrations(Exception):
    """Too many registrations lately from this address or for this NIR or email: the message says to wait."""


@dataclass(frozen=True)
class Registration:
    """What the caller may say about a registration: for a taken email, the same as for a new account.

    `holder` is the new account (None when the NIR or email already had one: its owner was told by email);
    `holder_id` is what the answer shows: the new holder's id, or an id drawn from the same sequence, so that
    nothing in the answer (status, shape, the id's size) tells whether the email had an account."""

    holder_id: int
    holder: Holder | None
    # The NIR already has an account: the registrant is told so, and only so (never whose, nor which email), and
    # offered "this is my number" (DESIGN §2.5). A taken email alone still answers like a new account.
    nir_taken: bool = False


def _registration_keys(data: HolderData) -> dict[str, str]:
    return {
        "nir_key": digest(f"registration:nir:{data.nir}"),
        "email_key": digest(f"registration:email:{data.email.lower()}"),
    }


def registration_limit_check(*, data: HolderData, ip: str | None) -> None:
    """Refuse (TooManyRegistrations) past the limits, then count this attempt, in its own transaction, so that
    attempts count whatever happens next. The answer is the same whether or not an account exists."""
    since = timezone.now() - REGISTRATION_WINDOW
    recent = AuditEvent.objects.filter(action="registration_attempted", at__gt=since)
    keys = _registration_keys(data)
    too_many = (ip is not None and recent.filter(ip_address=ip).count() >= REGISTRATIONS_PER_ADDRESS) or any(
        recent.filter(**{f"details__{name}": key}).count() >= REGISTRATIONS_PER_IDENTIFIER
        for name, key in keys.items()
    )
    if too_many:
        raise TooManyRegistrations(_("Too many registrations were tried lately. Wait an hour, then try again."))
    with transaction.atomic():
        audit(actor=None, action="registration_attempted", ip=ip, **keys)


def _next_holder_id() -> int:
    """Consume an id from the holders' own sequence, as an insert would (the next real holder gets the next one)."""
    table = Holder._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return cursor.fetchone()[0]
        # SQLite: AUTOINCREMENT tables draw from sqlite_sequence (the row appears with the first insert).
        cursor.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT %s, 0 WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = %s)",
            [table, table],
        )
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM {table})) + 1 "
            "WHERE name = %s RETURNING seq",
            [table],
        )
        return cursor.fetchone()[0]


def holder_register_or_notify(*, data: HolderData, password: str, language: str = "fr") -> Registration:
    """Register a holder, or, when the NIR or the email already has an account, create nothing and tell that
    account's owner by email. The caller answers the same in both cases (see Registration)."""
    existing = list(User.objects.filter(email__iexact=data.email)) + [
        holder.user for holder in Holder.objects.filter(nir=data.nir).select_related("user")
    ]
    if not existing:
        try:
            holder = holder_register(data=data, password=password, language=language)
        except IntegrityError:  # two registrations racing for one NIR or email: the database decided
            existing = list(User.objects.filter(email__iexact=data.email)) + [
                holder.user for holder in Holder.objects.filter(nir=data.nir).select_related("user")
            ]
        else:
            return Registration(holder_id=holder.pk, holder=holder)
    make_password(password)  # the same hashing work as a real registration: the time says nothing either
    with transaction.atomic():
        for user in {user.pk: user for user in existing}.values():
            same_nir = getattr(user, "holder", None) is not None and user.holder.nir == data.nir
            audit(actor=user, action="registration_refused_existing", target=f"user:{user.pk}")
            notify(
                user=user,
                template_prefix="emails/registration_attempt",
                context={"when": timezone.now(), "same_nir": same_nir},
            )
        holder_id = _next_holder_id()
    nir_taken = any(getattr(user, "holder", None) is not None and user.holder.nir == data.nir for user in existing)
    return Registration(holder_id=holder_id, holder=None, nir_taken=nir_taken)


class TooManyCodes(Exception):
    """Too many codes of one kind were sent lately: the message (for the user) says to wait."""


def code_send(*, user: User, purpose: CodePurpose, payload: str = "") -> None:
    """Create a fresh 6-digit code (older ones of the same purpose die) and send it once the transaction commits.
    At most CODES_PER_WINDOW of a kind per 15 minutes, so nobody can flood a mailbox or a phone (SMS cost money)."""
    now = timezone.now()
    recent = OneTimeCode.objects.filter(user=user, purpose=purpose, created_at__gt=now - CODES_WINDOW).count()
    if recent >= CODES_PER_WINDOW:
        raise TooManyCodes(_("Too many codes were sent in a short time. Wait 15 minutes, then ask for a new one."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        code_hash=digest(f"{user.pk}:{purpose}:{code}"),
        payload=payload,
        expires_at=now + CODE_LIFETIME,
    )
    context = {"code": code, "purpose": str(purpose), "minutes": int(CODE_LIFETIME.total_seconds() // 60)}
    language = user.language
    if purpose == CodePurpose.CHANGE_PHONE:
        transaction.on_commit(
            lambda: send_sms(to=payload, template="accounts/sms_code.txt", context=context, language=language)
        )
        return
    recipient = payload if purpose == CodePurpose.CHANGE_EMAIL else user.email
    transaction.on_commit(
        lambda: send_email(to=recipient, template_prefix="emails/code", context=context, language=language)
    )


class CodeError(Exception):
    """The code is wrong, expired or was tried too many times; the message is for the user."""


def code_check(*, user: User, purpose: CodePurpose, code: str) -> OneTimeCode:
    """Use the latest live code of this purpose, or raise CodeError. A wrong try is counted (and committed) even
    though the caller sees an exception, so never call this inside a transaction that the error rolls back."""
    with transaction.atomic():
        candidate = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if candidate is None or candidate.expires_at <= timezone.now():
            error = _("This code has expired. Ask for a new one.")
        elif candidate.attempts >= CODE_MAX_ATTEMPTS:
            error = _("Too many wrong codes. Ask for a new one.")
        elif not hmac.compare_digest(candidate.code_hash, digest(f"{user.pk}:{purpose}:{(code or '').strip()}")):
            candidate.attempts += 1
            candidate.save(update_fields=["attempts"])
            error = _("This code is wrong. Check the last message we sent you.")
        else:
            candidate.used_at = timezone.now()
            candidate.save(update_fields=["used_at"])
            error = None
    if error:
        raise CodeError(error)
    return candidate


def email_confirm(*, user: User, code: str) -> None:
    code_check(user=user, purpose=CodePurpose.CONFIRM_EMAIL, code=code)
    with transaction.atomic():
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit(actor=user, action="email_confirmed", target=f"user:{user.pk}")


def api_token_create(*, user: User) -> tuple[str, ApiToken]:
    """Return the clear token (shown once) and its record."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=hashlib.sha256(key.encode()).hexdigest(), expires_at=timezone.now() + API_TOKEN_LIFETIME
    )
    return key, token


def audit(*, actor: User | None, action: str, target: str = "", ip: str | None = None, **details) -> None:
    AuditEvent.objects.create(actor=actor, action=action, target=target, ip_address=ip, details=details)


def notify(*, user: User, template_prefix: str, context: dict | None = None, to: str | None = None) -> None:
    """Email the user (in their language) once the transaction commits."""
    recipient, language = to or user.email, user.language
    context = {"user_email": user.email, **(context or {})}
    transaction.on_commit(
        lambda: send_email(to=recipient, template_prefix=template_prefix, context=context, language=language)
    )


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


# --- passwords -------------------------------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user: User, new_password: str, keep_session_key: str | None, ip: str | None = None) -> None:
    """The holder changed their password: other web sessions end and API tokens are revoked."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _sessions_end(user=user, keep_session_key=keep_session_key)
    _tokens_revoke(user=user)
    audit(actor=user, action="password_changed", target=f"user:{user.pk}", ip=ip)
    notify(user=user, template_prefix="emails/password_changed", context={"when": timezone.now(), "ip": ip})


PASSWORD_RESET_EMAILS_PER_WINDOW = 3
PASSWORD_RESET_WINDOW = datetime.timedelta(minutes=15)


def password_reset_send(*, email: str, url_for: Callable[[str, str], str], ip: str | None = None) -> None:
    """Email a one-use link to the account using this address, if any (the caller answers the same either way).
    At most 3 emails per account in 15 minutes, so the form cannot flood someone's mailbox."""
    users = User.objects.filter(email__iexact=(email or "").strip(), is_active=True)
    since = timezone.now() - PASSWORD_RESET_WINDOW
    for user in users:
        if not user.has_usable_password():
            continue
        recent = AuditEvent.objects.filter(actor=user, action="password_reset_requested", at__gt=since).count()
        if recent >= PASSWORD_RESET_EMAILS_PER_WINDOW:
            continue
        with transaction.atomic():
            uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            audit(actor=user, action="password_reset_requested", target=f"user:{user.pk}", ip=ip)
            notify(
                user=user,
                template_prefix="emails/password_reset",
                context={"reset_url": url_for(uidb64, token), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
            )


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str, ip: str | None = None) -> None:
    """A password set through the emailed link: everything signed in before is signed out, locks are lifted."""
    from opencpf.accounts.lockouts import clear_failures, identifier_keys_of

    user.set_password(new_password)
    update = ["password"]
    if user.email_verified_at is None:  # following the link proved control of the address
        user.email_verified_at = timezone.now()
        update.append("email_verified_at")
    user.save(update_fields=update)
    _sessions_end(user=user)
    _tokens_revoke(user=user)
    clear_failures(keys=identifier_keys_of(user))
    audit(actor=user, action="password_reset", target=f"user:{user.pk}", ip=ip)
    notify(user=user, template_prefix="emails/password_changed", context={"when": timezone.now(), "ip": ip})


# --- authenticator app (TOTP) ---------------------------------------------------------------------------------


def totp_verify(*, device: TOTPDevice | None, code: str) -> tuple[bool, str, bool]:
    """(right?, message, counts as a failure?). django-otp slows down repeated wrong codes (1 s, 2 s, 4 s…): a code
    typed during that pause is not even checked, and the holder is told to wait. Keep this out of a transaction that
    an error would roll back: the device records its own failures."""
    if device is None:
        return False, _("This code is wrong."), True
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return (
            False,
            _("Too many wrong codes in a row. Wait a few seconds, then enter the code your app shows."),
            False,
        )
    if device.verify_token((code or "").strip()):
        return True, "", False
    return False, _("This code is wrong. Check the clock of your phone and enter the code your app shows."), True


def totp_setup_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to scan; it protects nothing until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="OpenCPF", confirmed=False)


def totp_setup_confirm(*, user: User, device_id: int, code: str, ip: str | None = None) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()
    right, message, _counted = totp_verify(device=device, code=code)
    if not right:
        raise CodeError(message)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit(actor=user, action="totp_enabled", target=f"user:{user.pk}", ip=ip)
        notify(user=user, template_prefix="emails/totp_changed", context={"enabled": True, "when": timezone.now()})
    return device


@transaction.atomic
def totp_disable(*, user: User, ip: str | None = None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit(actor=user, action="totp_disabled", target=f"user:{user.pk}", ip=ip)
    notify(user=user, template_prefix="emails/totp_changed", context={"enabled": False, "when": timezone.now()})


# --- "My information" ----------------------------------------------------------------------------------------

HOLDER_EDITABLE_FIELDS = (
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "status",
    "low_qualified",
    "disabled_worker",
)


@transaction.atomic
def holder_update(*, holder: Holder, changes: dict, ip: str | None = None) -> list[str]:
    """Apply the editable fields (never the NIR nor the birth identity); returns the names of changed fields."""
    changed = [
        field for field in HOLDER_EDITABLE_FIELDS if field in changes and getattr(holder, field) != changes[field]
    ]
    for field in changed:
        setattr(holder, field, changes[field])
    if changed:
        holder.full_clean(exclude=["user", "nir", "phone"])
        holder.save(update_fields=[*changed, "updated_at"])
        audit(actor=holder.user, action="holder_updated", target=f"holder:{holder.pk}", ip=ip, fields=changed)
    return changed


def user_language_set(*, user: User, language: str) -> None:
    if language in {code for code, _name in settings.LANGUAGES} and language != user.language:
        user.language = language
        user.save(update_fields=["language"])


class WrongPassword(Exception):
    """The current password given to confirm a sensitive change is wrong."""


@transaction.atomic
def email_change_request(*, user: User, new_email: str, password: str) -> None:
    """Send a code to the NEW address; the account keeps the old one until the code comes back. The current
    password is asked first: an open session alone (a borrowed or stolen one) must not move the account away."""
    if not user.check_password(password or ""):
        raise WrongPassword(_("This password is wrong."))
    code_send(user=user, purpose=CodePurpose.CHANGE_EMAIL, payload=new_email.strip().lower())


@transaction.atomic
def email_change_resend(*, user: User, pending_email: str) -> None:
    """A new code for the change already asked (and authorised by the password then)."""
    code_send(user=user, purpose=CodePurpose.CHANGE_EMAIL, payload=pending_email)


def email_change_confirm(*, user: User, code: str, ip: str | None = None) -> str:
    used = code_check(user=user, purpose=CodePurpose.CHANGE_EMAIL, code=code)
    new_email, old_email = used.payload, user.email
    taken = _("An account already uses this email address.")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise CodeError(taken)
    try:
        with transaction.atomic():
            user.email = new_email
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email", "email_verified_at"])
            audit(actor=user, action="email_changed", target=f"user:{user.pk}", ip=ip)
            # The old address hears about it: if this was not the holder, they can react.
            notify(
                user=user,
                to=old_email,
                template_prefix="emails/email_changed",
                context={"new_email": new_email, "when": timezone.now()},
            )
    except IntegrityError:  # someone took the address in the meantime
        user.email = old_email
        raise CodeError(taken)
    return new_email


@transaction.atomic
def phone_change_request(*, holder: Holder, new_phone: str) -> None:
    """Send a code by SMS to the NEW number; the holder keeps the old one until the code comes back."""
    code_send(user=holder.user, purpose=CodePurpose.CHANGE_PHONE, payload=new_phone)


def phone_change_confirm(*, holder: Holder, code: str, ip: str | None = None) -> str:
    used = code_check(user=holder.user, purpose=CodePurpose.CHANGE_PHONE, code=code)
    with transaction.atomic():
        holder.phone = used.payload
        holder.phone_verified_at = timezone.now()
        holder.save(update_fields=["phone", "phone_verified_at", "updated_at"])
        audit(actor=holder.user, action="phone_changed", target=f"holder:{holder.pk}", ip=ip)
    return holder.phone
