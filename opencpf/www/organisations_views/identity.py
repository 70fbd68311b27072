"""The organisation's identity (SIRET, Qualiopi, activity declaration: set with the agents) and its bank details,
changed with the password and a fresh second factor (opencpf.catalogue.services.bank)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts.selectors import confirmed_totp_device
from opencpf.accounts.services import TooManyCodes
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.selectors import bank_details_on_hold, has_organisation_role, masked_iban
from opencpf.catalogue.services import bank
from opencpf.www.organisations_views.forms import BankDetailsForm
from opencpf.www.organisations_views.staff import _ip, _organisation, _show_errors


@login_required
def identity(request):
    organisation = _organisation(request)
    form = BankDetailsForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank.organisation_iban_set(
                organisation=organisation,
                actor=request.user,
                iban=form.cleaned_data["iban"],
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                ip=_ip(request),
            )
        except ValidationError as error:
            _show_errors(request, error, form)
        else:
            messages.success(request, _("Bank details changed. Payments wait a few days, as a protection."))
            return redirect(f"{reverse('organisations:identity')}?organisation={organisation.pk}")
    hold_until = (
        organisation.iban_changed_at + datetime.timedelta(days=settings.OPENCPF_IBAN_CHANGE_HOLD_DAYS)
        if bank_details_on_hold(organisation)
        else None
    )
    context = {
        "organisation": organisation,
        "iban": masked_iban(organisation.iban),
        "hold_until": hold_until,
        "finance": has_organisation_role(request.user, organisation.pk, OrganisationRole.FINANCE_MANAGER),
        "uses_totp": confirmed_totp_device(request.user) is not None,
        "form": form,
        "page_title": _("Identity and bank details"),
        "breadcrumb": [{"url": reverse("dossiers:organisation_requests"), "title": _("Training files")}],
    }
    return render(request, "organisations/identity.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def send_code(request):
    organisation = _organisation(request)
    try:
        bank.bank_details_code_send(organisation=organisation, actor=request.user)
    except TooManyCodes as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A code was sent to your email address."))
    return redirect(f"{reverse('organisations:identity')}?organisation={organisation.pk}")
