"""Everything that writes accounts: registration, one-time codes, API tokens, audit."""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencpf.accounts.enums import CodePurpose, HolderStatus, Role
from opencpf.accounts.models import ApiToken, AuditEvent, Holder, OneTimeCode, User
from opencpf.utils.emails import send_email

CODE_LIFETIME = datetime.timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
API_TOKEN_LIFETIME = datetime.timedelta(days=30)


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


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


def code_send(*, user: User, purpose: CodePurpose, payload: str = "") -> None:
    """Create a fresh 6-digit code (older ones of the same purpose die) and send it once the transaction commits."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
    OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        code_hash=_digest(f"{user.pk}:{purpose}:{code}"),
        payload=payload,
        expires_at=now + CODE_LIFETIME,
    )
    recipient = payload if purpose == CodePurpose.CHANGE_EMAIL else user.email
    context = {"code": code, "purpose": purpose, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}
    transaction.on_commit(
        lambda: send_email(to=recipient, template_prefix="emails/code", context=context, language=user.language)
    )


class CodeError(Exception):
    """The code is wrong, expired or was tried too many times; the message is for the user."""


@transaction.atomic
def code_check(*, user: User, purpose: CodePurpose, code: str) -> OneTimeCode:
    from django.utils.translation import gettext as _

    candidate = (
        OneTimeCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if candidate is None or candidate.expires_at <= timezone.now():
        raise CodeError(_("This code has expired. Ask for a new one."))
    if candidate.attempts >= CODE_MAX_ATTEMPTS:
        raise CodeError(_("Too many wrong codes. Ask for a new one."))
    if not hmac.compare_digest(candidate.code_hash, _digest(f"{user.pk}:{purpose}:{(code or '').strip()}")):
        candidate.attempts += 1
        candidate.save(update_fields=["attempts"])
        raise CodeError(_("This code is wrong. Check the last email we sent you."))
    candidate.used_at = timezone.now()
    candidate.save(update_fields=["used_at"])
    return candidate


@transaction.atomic
def email_confirm(*, user: User, code: str) -> None:
    code_check(user=user, purpose=CodePurpose.CONFIRM_EMAIL, code=code)
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
