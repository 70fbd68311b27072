from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField
from dsfr.forms import DsfrBaseForm

from opencpf.accounts.nir import validate_nir
from opencpf.identity.enums import AbroadReason, DocumentKind, Situation
from opencpf.utils.dates import validate_birth_date
from opencpf.utils.text import clean_name


class IdentityCheckForm(DsfrBaseForm):
    document_kind = forms.ChoiceField(label=_("Your document"), choices=DocumentKind.choices, widget=forms.RadioSelect)
    document = forms.FileField(
        label=_("A photo or a scan of the document"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB. It is deleted after the agent's decision."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class RecoveryForm(IdentityCheckForm):
    """ "This is my number": the identity as on the document, and the address to use from now on."""

    nir = forms.CharField(
        label=_("Social security number"),
        max_length=21,
        help_text=_("15 characters, on your carte Vitale: 13 digits and a 2-digit key"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_name = forms.CharField(label=_("Birth name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("If the account is given back to you, it will use this address; we write to you there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["nir", "birth_date", "last_name", "email", "document_kind", "document"]

    def clean(self):
        cleaned = super().clean()
        if raw := cleaned.get("nir"):
            try:
                cleaned["nir"] = validate_nir(raw)
            except forms.ValidationError as error:
                self.add_error("nir", error)
        if cleaned.get("birth_date"):
            try:
                validate_birth_date(cleaned["birth_date"])
            except forms.ValidationError as error:
                self.add_error("birth_date", error)
        if cleaned.get("last_name"):
            cleaned["last_name"] = clean_name(cleaned["last_name"])
        return cleaned


class StatusProofForm(DsfrBaseForm):
    situation = forms.ChoiceField(label=_("Your situation"), choices=Situation.choices, widget=forms.RadioSelect)
    rate = forms.CharField(
        label=_("Permanent incapacity rate (work accident or occupational disease only)"),
        required=False,
        max_length=10,
        help_text=_("As written on the decision, for example 12 %."),
    )
    document = forms.FileField(
        label=_("The proof"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB: a France Travail certificate, a RQTH decision, a diploma…"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class AccessRequestForm(DsfrBaseForm):
    """Personal access from abroad: who you are, where you live, why, a proof of residence, how to reach you."""

    nir = forms.CharField(
        label=_("Social security number"),
        max_length=21,
        help_text=_("15 characters, on your carte Vitale: 13 digits and a 2-digit key"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    email = forms.EmailField(
        label=_("Email address of your account"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    country = LazyTypedChoiceField(label=_("Country where you live"), choices=[("", "—"), *countries])
    reason_kind = forms.ChoiceField(label=_("Why you live abroad"), choices=AbroadReason.choices)
    details = forms.CharField(
        label=_("Tell us more (optional)"), required=False, max_length=1500, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone_abroad = forms.CharField(
        label=_("Phone number abroad"),
        required=False,
        max_length=32,
        help_text=_("With the country code, for example +1 514 555 0123."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address_abroad = forms.CharField(
        label=_("Postal address abroad"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    proof = forms.FileField(
        label=_("Proof of residence abroad"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB: a consular registration, a work contract, a utility bill…"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean(self):
        cleaned = super().clean()
        if raw := cleaned.get("nir"):
            try:
                cleaned["nir"] = validate_nir(raw)
            except forms.ValidationError as error:
                self.add_error("nir", error)
        if cleaned.get("birth_date"):
            try:
                validate_birth_date(cleaned["birth_date"])
            except forms.ValidationError as error:
                self.add_error("birth_date", error)
        return cleaned

    def reason(self) -> str:
        label = str(dict(AbroadReason.choices)[self.cleaned_data["reason_kind"]])
        details = self.cleaned_data.get("details", "").strip()
        return f"{label}: {details}" if details else label
