from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.accounts.nir import validate_nir
from opencpf.scams.enums import Situation
from opencpf.scams.evidence import MAX_BYTES, MAX_FILES
from opencpf.scams.services.reports import MAX_DESCRIPTION


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the type, size and count are checked by the service (from the content)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [item for item in data if item]
        return [data] if data else []


class ReportForm(DsfrBaseForm):
    situation = forms.ChoiceField(
        label=_("What happened to you?"), choices=Situation.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Tell us what happened"),
        max_length=MAX_DESCRIPTION,
        help_text=_("Dates, what you were told, by whom, what you gave or signed."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    dossiers = forms.MultipleChoiceField(
        label=_("The training files concerned"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Files not yet paid are frozen at once: nothing moves and nothing is paid until we decide."),
    )
    organisation = forms.CharField(label=_("The organisation (name or SIRET)"), max_length=250, required=False)
    caller_phone = forms.CharField(
        label=_("The number that called you, if any"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most %(size)s MB each and %(count)s files.")
        % {"size": MAX_BYTES // (1024 * 1024), "count": MAX_FILES},
    )
    lock_account = forms.BooleanField(
        label=_("Lock my account now"),
        required=False,
        help_text=_(
            "Every session and access of the applications ends at once; to sign in again you will choose a new "
            "password with the “Forgot your password?” link."
        ),
    )

    def __init__(self, *args, dossier_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier_choices is None:
            del self.fields["dossiers"]
        else:
            self.fields["dossiers"].choices = dossier_choices


class AnonymousReportForm(ReportForm):
    """For a holder who can no longer sign in: they say who they are; the answer never tells if it matched."""

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
        label=_("Email address of your account"),
        help_text=_("We send the receipt and the news of your report to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["nir", "birth_date", "email", "situation", "description"]

    def clean(self):
        cleaned = super().clean()
        if raw := cleaned.get("nir"):
            try:
                cleaned["nir"] = validate_nir(raw)
            except forms.ValidationError as error:
                self.add_error("nir", error)
        return cleaned


class AnswerForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Your answer"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 5})
    )
