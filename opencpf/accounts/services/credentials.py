"""Passwords (change, reset by email) and the authenticator app (TOTP)."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.models import AuditEvent, User
from opencpf.accounts.services.codes import CodeError
from opencpf.accounts.services.core import audit, notify
from opencpf.accounts.services.sessions import _sessions_end, _tokens_revoke

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
