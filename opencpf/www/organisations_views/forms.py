from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.catalogue.enums import OrganisationRole


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
