""" "My security": password, sessions, known devices, signing out everywhere, authenticator app."""

import base64
from urllib.parse import quote, urlencode

import segno
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from opencpf.accounts import selectors, services, signin
from opencpf.utils.client import client_ip
from opencpf.www.accounts_views.forms import (
    CodeForm,
    PasswordChangeForm,
    PasswordConfirmForm,
)
from opencpf.www.accounts_views.views.common import (
    DEVICE_COOKIE,
    _account_breadcrumb,
    _count_wrong_password,
    _device_token,
    _lock_message_if_locked,
    _security_breadcrumb,
)

TOTP_ISSUER = "OpenCPF"


# --- "My security" ---------------------------------------------------------------------------------------------


@login_required
def security(request):
    user = request.user
    context = {
        "history": selectors.sign_in_history(user, limit=30),
        "sessions": selectors.active_sessions(user),
        "current_session_key": request.session.session_key,
        "devices": selectors.known_devices(user),
        "current_device_hash": signin.device_hash(token) if (token := _device_token(request)) else None,
        "totp_enabled": selectors.confirmed_totp_device(user) is not None,
        "api_tokens": selectors.active_api_tokens(user),
        "page_title": _("My security"),
        "breadcrumb": _account_breadcrumb(),
    }
    return render(request, "accounts/security.html", context)


@login_required
def password_change(request):
    user = request.user
    form = PasswordChangeForm(user, data=request.POST or None)
    if request.method == "POST":
        if locked := _lock_message_if_locked(request, user):
            form.is_valid()
            form.add_error(None, locked)
        elif form.is_valid():
            services.password_change(
                user=user,
                new_password=form.cleaned_data["new_password1"],
                keep_session_key=request.session.session_key,
                ip=client_ip(request),
            )
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed. Your other devices were signed out."))
            return redirect("accounts:security")
        elif "old_password" in form.errors:
            _count_wrong_password(request, user)
    context = {"form": form, "page_title": _("Change my password"), "breadcrumb": _security_breadcrumb()}
    return render(request, "accounts/password_change.html", context)


@login_required
@require_POST
def session_revoke(request, session_id: int):
    current = request.user.web_sessions.filter(pk=session_id, session_key=request.session.session_key).exists()
    if services.session_revoke(user=request.user, session_id=session_id, ip=client_ip(request)):
        if current:
            logout(request)
            messages.info(request, _("You are signed out."))
            return redirect("accounts:login")
        messages.success(request, _("The session is closed: that device is signed out."))
    return redirect("accounts:security")


@login_required
@require_POST
def device_forget(request, device_id: int):
    if signin.device_forget(user=request.user, device_id=device_id, ip=client_ip(request)):
        messages.success(request, _("This device is forgotten: signing in on it will ask for a code again."))
    return redirect("accounts:security")


@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.user, ip=client_ip(request))
    logout(request)
    messages.success(
        request,
        _(
            "You are signed out everywhere: every session is closed, every application lost its access and "
            "every device will need a code emailed to you."
        ),
    )
    response = redirect("accounts:login")
    response.delete_cookie(DEVICE_COOKIE)
    return response


def _otpauth_url(device, email: str) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"{TOTP_ISSUER}:{email}")
    params = urlencode({"secret": secret, "issuer": TOTP_ISSUER, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{params}"


@login_required
def totp_setup(request):
    user = request.user
    if selectors.confirmed_totp_device(user) is not None:
        messages.info(request, _("Two-step verification is already on."))
        return redirect("accounts:security")
    device = services.totp_setup_start(user=user)
    form = CodeForm(data=request.POST or None)
    form.fields["code"].label = gettext_lazy("Code shown by your authenticator app")
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.totp_setup_confirm(
                user=user, device_id=device.pk, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except services.CodeError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, confirmed)
            messages.success(request, _("Two-step verification is on: signing in will ask for your app's code."))
            return redirect("accounts:security")
    url = _otpauth_url(device, user.email)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(url, error="m").svg_inline(scale=5, dark="#161616", light="#ffffff", border=2)
    context = {
        "form": form,
        "qr_svg": mark_safe(qr),  # built here by segno from our own URL: no user input
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "page_title": _("Turn on two-step verification"),
        "breadcrumb": _security_breadcrumb(),
    }
    return render(request, "accounts/totp_setup.html", context)


@login_required
def totp_disable(request):
    user = request.user
    if selectors.confirmed_totp_device(user) is None:
        return redirect("accounts:security")
    form = PasswordConfirmForm(user, data=request.POST or None)
    if request.method == "POST":
        if locked := _lock_message_if_locked(request, user):
            form.is_valid()
            form.add_error(None, locked)
        elif form.is_valid():
            services.totp_disable(user=user, ip=client_ip(request))
            messages.success(request, _("Two-step verification is off."))
            return redirect("accounts:security")
        else:
            _count_wrong_password(request, user)
    context = {"form": form, "page_title": _("Turn off two-step verification"), "breadcrumb": _security_breadcrumb()}
    return render(request, "accounts/totp_disable.html", context)
