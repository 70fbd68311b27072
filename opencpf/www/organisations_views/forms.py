from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.catalogue.enums import ApiKeyScope, OrganisationRole


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


class CatalogueFilterForm(DsfrBaseForm):
    q = forms.CharField(label=_("Title contains"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("published", _("Published")), ("closed", _("Closed"))],
    )


class CatalogueImportForm(DsfrBaseForm):
    file = forms.FileField(label=_("CSV file (open-data columns, semicolon-separated)"))
