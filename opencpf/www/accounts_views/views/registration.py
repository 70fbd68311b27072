"""A holder's registration and the confirmation of their email address."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from opencpf.accounts import services, signin
from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import User
from opencpf.identity import situations
from opencpf.utils.client import client_info, client_ip
from opencpf.www.accounts_views.forms import (
    CodeForm,
    HolderRegistrationWebForm,
)
from opencpf.www.accounts_views.views.common import BACKEND, _device_token, _keep_device
from opencpf.www.session_keys import RECOVERY_PREFILL

PENDING_REGISTRATION = "pending_registration"


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
            services.registration_limit_check(data=data, ip=client_ip(request))
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
