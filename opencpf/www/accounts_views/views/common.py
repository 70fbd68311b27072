"""What the account pages share: the known-device cookie, the end of a sign-in, locks, breadcrumbs."""

from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from opencpf.accounts import lockouts, signin
from opencpf.accounts.enums import SignInChannel
from opencpf.accounts.models import User
from opencpf.utils.client import client_info, client_ip

BACKEND = "opencpf.accounts.backends.NirOrEmailBackend"
DEVICE_COOKIE = "opencpf_device"
DEVICE_COOKIE_SALT = "opencpf.accounts.device"
PENDING_SESSION_KEY = "opencpf_signin_pending"
NEXT_SESSION_KEY = "opencpf_signin_next"


# --- helpers ---------------------------------------------------------------------------------------------------


def _device_token(request) -> str | None:
    return request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT, max_age=signin.DEVICE_LIFETIME
    )


def _keep_device(response, token: str | None):
    if token:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            token,
            salt=DEVICE_COOKIE_SALT,
            max_age=int(signin.DEVICE_LIFETIME.total_seconds()),
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
    return response


def _security_url(request) -> str:
    return request.build_absolute_uri(reverse("accounts:security"))


def _safe_next(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return None


def _mask_email(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:1]}{'•' * max(len(name) - 1, 2)}@{domain}"


def _account_breadcrumb(*extra: dict) -> list[dict]:
    return [{"url": reverse("www:dashboard"), "title": _("My account")}, *extra]


def _security_breadcrumb() -> list[dict]:
    return _account_breadcrumb({"url": reverse("accounts:security"), "title": _("My security")})


def _finish_sign_in(request, user: User, *, new_device: bool, totp_device=None):
    """Open the session, list it, remember the browser, alert on a new device."""
    next_url = request.session.get(NEXT_SESSION_KEY)
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.pop(NEXT_SESSION_KEY, None)
    login(request, user, backend=BACKEND)
    if totp_device is not None:
        otp_login(request, totp_device)
    token = signin.sign_in_complete(
        user=user,
        client=client_info(request),
        channel=SignInChannel.WEB,
        new_device=new_device,
        security_url=_security_url(request),
        session_key=request.session.session_key,
        device_token=_device_token(request),
    )
    return _keep_device(redirect(_safe_next(request, next_url) or "www:dashboard"), token)


def _lock_message_if_locked(request, user: User) -> str | None:
    """Re-authentication forms (password change, TOTP off) share the sign-in locks: a stolen session cannot guess."""
    until = lockouts.current_lock(id_key=lockouts.identifier_key(user.email), client_ip=client_ip(request))
    if until is None:
        return None
    return _("Too many wrong passwords. Try again after %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


def _count_wrong_password(request, user: User) -> None:
    lockouts.count_failure(id_key=lockouts.identifier_key(user.email), client_ip=client_ip(request))
