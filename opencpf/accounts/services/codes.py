"""One-time codes sent by email or SMS: sending (rate-limited), checking, confirming an address."""

import datetime
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.digests import digest
from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import OneTimeCode, User
from opencpf.accounts.services.core import audit
from opencpf.accounts.sms import send_sms
from opencpf.utils.emails import send_email

CODE_LIFETIME = datetime.timedelta(minutes=15)


CODE_MAX_ATTEMPTS = 5


CODES_PER_WINDOW = 5


CODES_WINDOW = datetime.timedelta(minutes=15)


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
