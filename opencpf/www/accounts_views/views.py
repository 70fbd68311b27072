import base64
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from opencpf.accounts import lockouts, selectors, services, signin
from opencpf.accounts.enums import CodePurpose, SignInChannel
from opencpf.accounts.models import User
from opencpf.accounts.nir import mask_nir
from opencpf.identity import situations
from opencpf.utils.client import client_info
from opencpf.www.accounts_views.forms import (
    CodeForm,
    HolderRegistrationWebForm,
    InformationForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
)
from opencpf.www.session_keys import RECOVERY_PREFILL

BACKEND = "opencpf.accounts.backends.NirOrEmailBackend"
PENDING_REGISTRATION = "pending_registration"
DEVICE_COOKIE = "opencpf_device"
DEVICE_COOKIE_SALT = "opencpf.accounts.device"
PENDING_SESSION_KEY = "opencpf_signin_pending"
NEXT_SESSION_KEY = "opencpf_signin_next"
TOTP_ISSUER = "OpenCPF"


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
    until = lockouts.current_lock(id_key=lockouts.identifier_key(user.email), client_ip=client_info(request).ip)
    if until is None:
        return None
    return _("Too many wrong passwords. Try again after %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


def _count_wrong_password(request, user: User) -> None:
    lockouts.count_failure(id_key=lockouts.identifier_key(user.email), client_ip=client_info(request).ip)


# --- registration and email confirmation ---------------------------------------------------------------------


def register(request):
    """A taken email answers like a new account (its owner is told by email): nobody learns from this page who uses
    an email. A taken NIR answers "an account already exists", nothing more, and offers "this is my number" (the
    anonymous identity check) with what was typed. The account is signed in once the emailed code comes back."""
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    form = HolderRegistrationWebForm(data=request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.holder_data()
        try:
            services.registration_limit_check(data=data, ip=client_info(request).ip)
        except services.TooManyRegistrations as error:
            form.add_error(None, str(error))
            status = 429
        else:
            registration = situations.holder_register_declaring(
                data=data, password=form.cleaned_data["password"], language=get_language()
            )
            if registration.nir_taken:
                # Only what the registrant typed goes on to "this is my number": nothing from the account.
                request.session[RECOVERY_PREFILL] = {
                    "nir": data.nir,
                    "birth_date": data.birth_date.isoformat(),
                    "last_name": data.last_name,
                    "email": data.email,
                }
                context = {"form": form, "nir_taken": services.NIR_TAKEN, "page_title": _("Create my account")}
                return render(request, "accounts/register.html", context, status=409)
            request.session.cycle_key()
            request.session[PENDING_REGISTRATION] = {
                "user_id": registration.holder.user_id if registration.holder else None,
                "email": data.email,
            }
            messages.success(
                request,
                _("Enter the code we sent to %(email)s to finish creating your account.") % {"email": data.email},
            )
            return redirect("accounts:confirm_email")
    summary = form.error_summary() if form.is_bound else []
    title = _("Create my account")
    if summary:  # the title says it first: a screen reader user hears the outcome of the submit at once
        title = ngettext("%(count)s error — %(title)s", "%(count)s errors — %(title)s", len(summary)) % {
            "count": len(summary),
            "title": title,
        }
    return render(
        request,
        "accounts/register.html",
        {"form": form, "page_title": title, "error_summary": summary},
        status=status,
    )


def _confirm_pending_registration(request, pending: dict):
    """The code sent at registration, typed in the browser that registered: the email is confirmed and the account
    signed in. A registration that created nothing (the identity had an account) behaves the same way, and no code
    is ever right for it."""
    user = (
        User.objects.filter(pk=pending["user_id"], email_verified_at__isnull=True).first()
        if pending["user_id"]
        else None
    )
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            if user is not None:
                services.code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
        except services.TooManyCodes as error:
            messages.error(request, str(error))
        else:
            messages.info(request, _("A new code was sent to %(email)s.") % {"email": pending["email"]})
        return redirect("accounts:confirm_email")
    if request.method == "POST" and form.is_valid():
        try:
            if user is None:
                raise services.CodeError(_("This code is wrong. Check the last message we sent you."))
            services.email_confirm(user=user, code=form.cleaned_data["code"])
        except services.CodeError as error:
            form.add_error("code", str(error))
        else:
            del request.session[PENDING_REGISTRATION]
            login(request, user, backend=BACKEND)
            client = client_info(request)
            services.session_open(user=user, session_key=request.session.session_key, client=client)
            messages.success(request, _("Your email address is confirmed."))
            token = signin.device_remember(user=user, client=client, token=_device_token(request))
            return _keep_device(redirect("www:dashboard"), token)
    return render(
        request,
        "accounts/confirm_email.html",
        {"form": form, "email": pending["email"], "page_title": _("Confirm my email address")},
    )


def confirm_email(request):
    if not request.user.is_authenticated:
        pending = request.session.get(PENDING_REGISTRATION)
        if pending is None:
            return redirect_to_login(request.get_full_path())
        return _confirm_pending_registration(request, pending)
    user = request.user
    if user.email_verified_at:
        return redirect("www:dashboard")
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
        except services.TooManyCodes as error:
            messages.error(request, str(error))
        else:
            messages.info(request, _("A new code was sent to %(email)s.") % {"email": user.email})
        return redirect("accounts:confirm_email")
    if request.method == "POST" and form.is_valid():
        try:
            services.email_confirm(user=user, code=form.cleaned_data["code"])
        except services.CodeError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Your email address is confirmed."))
            # The code came back to this browser: it is one of the holder's devices from now on.
            token = signin.device_remember(user=user, client=client_info(request), token=_device_token(request))
            return _keep_device(redirect("www:dashboard"), token)
    return render(
        request,
        "accounts/confirm_email.html",
        {"form": form, "email": user.email, "page_title": _("Confirm my email address")},
    )


# --- signing in and out ----------------------------------------------------------------------------------------


def sign_in_answer(request, result: signin.SignInResult, *, next_url: str | None = None):
    """The web's answer to a first sign-in step (password, or FranceConnect): the page refusing access from abroad,
    the signed-in session, or the second step's page; None when the step failed (the caller shows the message)."""
    if result.status == signin.Status.ABROAD:
        return render(
            request,
            "accounts/abroad_restricted.html",
            {"message": result.message, "page_title": _("Access from abroad")},
            status=403,
        )
    if result.ok:
        request.session[NEXT_SESSION_KEY] = next_url
        return _finish_sign_in(request, result.user, new_device=False)
    if result.pending is not None:
        request.session.cycle_key()
        request.session[PENDING_SESSION_KEY] = result.pending.to_session()
        request.session[NEXT_SESSION_KEY] = _safe_next(request, next_url)
        return redirect("accounts:login_code")
    return None


def login_view(request):
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    form = SignInForm(data=request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = signin.sign_in_password(
            identifier=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            client=client_info(request),
            channel=SignInChannel.WEB,
            device_token=_device_token(request),
        )
        if (response := sign_in_answer(request, result, next_url=request.GET.get("next"))) is not None:
            return response
        form.add_error(None, result.message)
        status = 429 if result.status == signin.Status.LOCKED else 200
    return render(request, "accounts/login.html", {"form": form, "page_title": _("Sign in")}, status=status)


def login_code(request):
    """Second step: the code emailed for a new device, or the authenticator app's code."""
    pending = signin.PendingSignIn.from_session(request.session.get(PENDING_SESSION_KEY) or {})
    if pending is None or request.user.is_authenticated:
        return redirect("accounts:login")
    if pending.expired:  # before anything, a resend included: its code could no longer be used
        request.session.pop(PENDING_SESSION_KEY, None)
        messages.error(request, _("This sign-in took too long. Please start again."))
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending.user_id).first()
    if user is None:
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect("accounts:login")
    is_totp = pending.step == signin.Status.TOTP
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and "resend" in request.POST and not is_totp:
        try:
            signin.device_code_resend(pending=pending)
        except services.TooManyCodes as error:
            messages.error(request, str(error))
        else:
            messages.info(request, _("A new code was sent to %(email)s.") % {"email": _mask_email(user.email)})
        return redirect("accounts:login_code")
    if request.method == "POST" and form.is_valid():
        result = signin.sign_in_second_step(
            pending=pending, code=form.cleaned_data["code"], client=client_info(request)
        )
        if result.ok:
            device = selectors.confirmed_totp_device(result.user) if is_totp else None
            return _finish_sign_in(request, result.user, new_device=result.new_device, totp_device=device)
        if result.status in (signin.Status.EXPIRED, signin.Status.LOCKED):
            request.session.pop(PENDING_SESSION_KEY, None)
            messages.error(request, result.message)
            return redirect("accounts:login")
        form.add_error("code", result.message)
    if is_totp:
        form.fields["code"].label = gettext_lazy("Code shown by your authenticator app")
    context = {
        "form": form,
        "is_totp": is_totp,
        "masked_email": _mask_email(user.email),
        "minutes": int(services.CODE_LIFETIME.total_seconds() // 60),
        "page_title": _("Two-step verification") if is_totp else _("Confirm this device"),
    }
    return render(request, "accounts/login_code.html", context)


@require_POST
def logout_view(request):
    services.session_close(session_key=request.session.session_key)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("www:home")


# --- password reset (Django's views, DSFR templates, no account enumeration) ------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"page_title": gettext_lazy("Forgot your password?")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"page_title": gettext_lazy("Check your emails")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"page_title": gettext_lazy("Choose a new password")}

    def form_valid(self, form):
        services.password_reset_complete(
            user=form.user, new_password=form.cleaned_data["new_password1"], ip=client_info(self.request).ip
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"page_title": gettext_lazy("Password changed")}


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
                ip=client_info(request).ip,
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
    if services.session_revoke(user=request.user, session_id=session_id, ip=client_info(request).ip):
        if current:
            logout(request)
            messages.info(request, _("You are signed out."))
            return redirect("accounts:login")
        messages.success(request, _("The session is closed: that device is signed out."))
    return redirect("accounts:security")


@login_required
@require_POST
def device_forget(request, device_id: int):
    if signin.device_forget(user=request.user, device_id=device_id, ip=client_info(request).ip):
        messages.success(request, _("This device is forgotten: signing in on it will ask for a code again."))
    return redirect("accounts:security")


@login_required
@require_POST
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.user, ip=client_info(request).ip)
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
                user=user, device_id=device.pk, code=form.cleaned_data["code"], ip=client_info(request).ip
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
            services.totp_disable(user=user, ip=client_info(request).ip)
            messages.success(request, _("Two-step verification is off."))
            return redirect("accounts:security")
        else:
            _count_wrong_password(request, user)
    context = {"form": form, "page_title": _("Turn off two-step verification"), "breadcrumb": _security_breadcrumb()}
    return render(request, "accounts/totp_disable.html", context)


# --- "My information" ------------------------------------------------------------------------------------------


@login_required
def information(request):
    user = request.user
    holder = getattr(user, "holder", None) if user.is_holder else None
    initial = {"email": user.email, "language": user.language}
    if holder is not None:
        initial |= {name: getattr(holder, name) for name in services.HOLDER_EDITABLE_FIELDS}
        initial["phone"] = holder.phone
    form = InformationForm(user, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ip = client_info(request).ip
        data = form.cleaned_data
        services.user_language_set(user=user, language=data["language"])
        changed, declared = (
            situations.holder_update_declaring(holder=holder, changes=form.holder_changes(), ip=ip)
            if holder
            else ([], [])
        )
        if declared:
            messages.info(
                request,
                _(
                    "Your situation is pending: it counts once an agent has seen a proof. "
                    "Send the proof from “My situation”."
                ),
            )
        next_step = "accounts:information"
        try:
            if holder is not None and data["phone"] != holder.phone:
                services.phone_change_request(holder=holder, new_phone=data["phone"])
                messages.info(request, _("We sent a code by SMS to %(phone)s.") % {"phone": data["phone"]})
                next_step = "accounts:phone_confirm"
            if data["email"] != user.email:
                services.email_change_request(user=user, new_email=data["email"], password=data["current_password"])
                messages.info(request, _("We sent a code to %(email)s.") % {"email": data["email"]})
                next_step = "accounts:email_confirm"
        except services.TooManyCodes as error:
            messages.error(request, str(error))
        if changed or next_step == "accounts:information":
            messages.success(request, _("Your information is saved."))
        return redirect(next_step)
    context = {
        "form": form,
        "holder": holder,
        "masked_nir": mask_nir(holder.nir) if holder else "",
        "pending_email": selectors.pending_change(user, CodePurpose.CHANGE_EMAIL),
        "pending_phone": selectors.pending_change(user, CodePurpose.CHANGE_PHONE) if holder else None,
        "page_title": _("My information"),
        "breadcrumb": _account_breadcrumb(),
    }
    return render(request, "accounts/information.html", context)


def _change_confirm(request, *, purpose: CodePurpose):
    user = request.user
    holder = getattr(user, "holder", None) if user.is_holder else None
    is_phone = purpose == CodePurpose.CHANGE_PHONE
    if is_phone and holder is None:
        return redirect("accounts:information")
    pending = selectors.pending_change(user, purpose)
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and "resend" in request.POST and pending:
        try:
            if is_phone:
                services.phone_change_request(holder=holder, new_phone=pending)
            else:
                services.email_change_resend(user=user, pending_email=pending)
        except services.TooManyCodes as error:
            messages.error(request, str(error))
        else:
            messages.info(request, _("A new code was sent to %(address)s.") % {"address": pending})
        return redirect(request.path)
    if request.method == "POST" and "resend" not in request.POST and form.is_valid():
        ip = client_info(request).ip
        try:
            if is_phone:
                value = services.phone_change_confirm(holder=holder, code=form.cleaned_data["code"], ip=ip)
                messages.success(request, _("Your phone number is now %(phone)s.") % {"phone": value})
            else:
                value = services.email_change_confirm(user=user, code=form.cleaned_data["code"], ip=ip)
                messages.success(request, _("Your email address is now %(email)s.") % {"email": value})
        except services.CodeError as error:
            form.add_error("code", str(error))
        else:
            return redirect("accounts:information")
    context = {
        "form": form,
        "is_phone": is_phone,
        "pending": pending,
        "page_title": _("Confirm my new phone number") if is_phone else _("Confirm my new email address"),
        "breadcrumb": _account_breadcrumb({"url": reverse("accounts:information"), "title": _("My information")}),
    }
    return render(request, "accounts/change_confirm.html", context)


@login_required
def email_confirm(request):
    return _change_confirm(request, purpose=CodePurpose.CHANGE_EMAIL)


@login_required
def phone_confirm(request):
    return _change_confirm(request, purpose=CodePurpose.CHANGE_PHONE)
