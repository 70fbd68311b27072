""" "My information": a holder's details, and a new email address or phone number confirmed by code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencpf.accounts import selectors, services
from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.nir import mask_nir
from opencpf.identity import situations
from opencpf.utils.client import client_ip
from opencpf.www.accounts_views.forms import (
    CodeForm,
    InformationForm,
)
from opencpf.www.accounts_views.views.common import _account_breadcrumb

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
        ip = client_ip(request)
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
        ip = client_ip(request)
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
