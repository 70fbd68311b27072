"""Signing in (password, then a code or the authenticator app on a new device) and out."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opencpf.accounts import selectors, services, signin
from opencpf.accounts.enums import SignInChannel
from opencpf.accounts.models import User
from opencpf.utils.client import client_info
from opencpf.www.accounts_views.forms import (
    CodeForm,
    SignInForm,
)
from opencpf.www.accounts_views.views.common import (
    NEXT_SESSION_KEY,
    PENDING_SESSION_KEY,
    _device_token,
    _finish_sign_in,
    _mask_email,
    _safe_next,
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
