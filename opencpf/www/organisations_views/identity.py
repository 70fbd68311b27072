"""The organisation's identity (SIRET, Qualiopi, activity declaration: set with the agents) and its bank details,
changed with the password and a fresh second factor (opencpf.catalogue.services.bank)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts.selectors import confirmed_totp_device
from opencpf.accounts.services import TooManyCodes
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import BankDetailsChange
from opencpf.catalogue.selectors import (
    has_organisation_role,
    masked_iban,
    payments_held_until,
    pending_bank_change,
)
from opencpf.catalogue.services import bank, bank_changes
from opencpf.utils.client import client_ip
from opencpf.www.organisations_views.forms import BankChangeConfirmForm, BankDetailsForm
from opencpf.www.organisations_views.staff import _organisation, _show_errors


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
                ip=client_ip(request),
            )
        except ValidationError as error:
            _show_errors(request, error, form)
        else:
            messages.success(request, _("Bank details changed. Payments wait a few days, as a protection."))
            return redirect(f"{reverse('organisations:identity')}?organisation={organisation.pk}")
    return _page(request, organisation, form)


def _page(request, organisation, form, confirm_form=None):
    hold_until = payments_held_until(organisation)
    pending = pending_bank_change(organisation)
    context = {
        "organisation": organisation,
        "pending": pending,
        "pending_iban": masked_iban(pending.iban) if pending else "",
        "confirm_form": confirm_form or BankChangeConfirmForm(),
        "manager": has_organisation_role(request.user, organisation.pk, OrganisationRole.ACCESS_MANAGER),
        "iban": masked_iban(organisation.iban),
        "hold_until": hold_until,
        "finance": has_organisation_role(request.user, organisation.pk, OrganisationRole.FINANCE_MANAGER),
        "uses_totp": confirmed_totp_device(request.user) is not None,
        "form": form,
        "page_title": _("Identity and bank details"),
        "breadcrumb": [{"url": reverse("dossiers:organisation_requests"), "title": _("Training files")}],
    }
    invalid = form.errors or (confirm_form is not None and confirm_form.errors)
    return render(request, "organisations/identity.html", context, status=400 if invalid else 200)


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


@login_required
@require_POST
def confirm_change(request, change_id):
    """A change of bank details asked through the API takes effect here, with the password and a fresh code."""
    organisation = _organisation(request)
    form = BankChangeConfirmForm(data=request.POST)
    if form.is_valid():
        try:
            bank_changes.bank_change_confirm(
                change_id=change_id,
                organisation=organisation,
                actor=request.user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                ip=client_ip(request),
            )
        except BankDetailsChange.DoesNotExist:
            raise Http404
        except bank_changes.BankChangeConflict as error:
            messages.error(request, str(error))
        except ValidationError as error:
            _show_errors(request, error, form)
        else:
            messages.success(request, _("Bank details changed. Payments wait a few days, as a protection."))
            return redirect(f"{reverse('organisations:identity')}?organisation={organisation.pk}")
    if not form.errors:
        return redirect(f"{reverse('organisations:identity')}?organisation={organisation.pk}")
    return _page(request, organisation, BankDetailsForm(), confirm_form=form)


@login_required
@require_POST
def reject_change(request, change_id):
    organisation = _organisation(request)
    try:
        bank_changes.bank_change_reject(
            change_id=change_id, organisation=organisation, actor=request.user, ip=client_ip(request)
        )
    except BankDetailsChange.DoesNotExist:
        raise Http404
    except bank_changes.BankChangeConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The change of bank details was rejected: nothing changed."))
    return redirect(f"{reverse('organisations:identity')}?organisation={organisation.pk}")
