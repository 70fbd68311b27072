from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts import services
from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.forms import HolderRegistrationForm
from opencpf.www.accounts_views.forms import CodeForm, SignInForm


def register(request):
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    form = HolderRegistrationForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holder = services.holder_register(
                data=form.holder_data(), password=form.cleaned_data["password"], language=get_language()
            )
        except IntegrityError:
            form.add_error("nir", _("An account already exists for this social security number or email."))
        else:
            login(request, holder.user, backend="opencpf.accounts.backends.NirOrEmailBackend")
            messages.success(
                request,
                _("Your account is created. Enter the code we sent to %(email)s.") % {"email": holder.user.email},
            )
            return redirect("accounts:confirm_email")
    return render(request, "accounts/register.html", {"form": form, "page_title": _("Create my account")})


@login_required
def confirm_email(request):
    user = request.user
    if user.email_verified_at:
        return redirect("www:dashboard")
    form = CodeForm(data=request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        services.code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
        messages.info(request, _("A new code was sent to %(email)s.") % {"email": user.email})
        return redirect("accounts:confirm_email")
    if request.method == "POST" and form.is_valid():
        try:
            services.email_confirm(user=user, code=form.cleaned_data["code"])
        except services.CodeError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Your email address is confirmed."))
            return redirect("www:dashboard")
    return render(request, "accounts/confirm_email.html", {"form": form, "page_title": _("Confirm my email address")})


def login_view(request):
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    form = SignInForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _("Wrong identifier or password."))
        else:
            login(request, user)
            return redirect("www:dashboard")
    return render(request, "accounts/login.html", {"form": form, "page_title": _("Sign in")})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("www:home")
