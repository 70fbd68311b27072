from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.catalogue.enums import ApiKeyScope, Modality, OrganisationRole


class RolesForm(DsfrBaseForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=OrganisationRole.choices, widget=forms.CheckboxSelectMultiple
    )


class InviteForm(RolesForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    field_order = ["email", "roles"]


class JoinForm(DsfrBaseForm):
    display_name = forms.CharField(label=_("Your name"), max_length=200)
    password = forms.CharField(label=_("Choose a password"), max_length=200, widget=forms.PasswordInput)


class ApiKeyForm(DsfrBaseForm):
    name = forms.CharField(label=_("Name of the key (the software that uses it)"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiKeyScope.choices, widget=forms.CheckboxSelectMultiple
    )


class BankDetailsForm(DsfrBaseForm):
    iban = forms.CharField(label=_("New IBAN"), max_length=50)
    password = forms.CharField(label=_("Your password"), max_length=200, widget=forms.PasswordInput)
    code = forms.CharField(
        label=_("Code of your authenticator app, or the code sent by email"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BankChangeConfirmForm(DsfrBaseForm):
    """Confirming a change asked through the API: the same second factor as a change made here."""

    password = forms.CharField(label=_("Your password"), max_length=200, widget=forms.PasswordInput)
    code = forms.CharField(
        label=_("Code of your authenticator app, or the code sent by email"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CatalogueFilterForm(DsfrBaseForm):
    q = forms.CharField(label=_("Title contains"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("published", _("Published")), ("closed", _("Closed"))],
    )


class CatalogueImportForm(DsfrBaseForm):
    file = forms.FileField(label=_("CSV file (open-data columns, semicolon-separated)"))


class OfferForm(DsfrBaseForm):
    certification_code = forms.CharField(label=_("Certification code (RNCP…, RS…)"), max_length=32)
    title = forms.CharField(label=_("Title"), max_length=300)
    external_number = forms.CharField(label=_("Your training number"), max_length=64, required=False)
    price = forms.DecimalField(label=_("Price incl. tax (euros)"), min_value=0, max_digits=10, decimal_places=2)
    hours = forms.DecimalField(label=_("Duration in hours"), min_value=0, max_digits=7, decimal_places=1)
    modality = forms.ChoiceField(label=_("Modality"), choices=Modality.choices)
    summary = forms.CharField(
        label=_("Highlights"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.CharField(
        label=_("Objectives"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    programme = forms.CharField(
        label=_("Programme"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(DsfrBaseForm):
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_remote = forms.BooleanField(label=_("Remote"), required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    seats = forms.IntegerField(label=_("Seats (empty: no limit)"), min_value=1, max_value=100_000, required=False)
