from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CreditForm(DsfrBaseForm):
    """Field names match `funders.services.credit_add`'s, so that its errors land on the right field."""

    nir = forms.CharField(label=_("Social security number (NIR)"), max_length=30)
    last_name = forms.CharField(label=_("Birth name"), max_length=150)
    amount = forms.CharField(label=_("Amount in euros"), max_length=20, help_text=_("e.g. 500.00"))
    earmark_certifications = forms.CharField(
        label=_("Only for these certifications (optional)"),
        required=False,
        max_length=500,
        help_text=_("Codes such as RNCP37274 or RS5432, separated by spaces. Empty: any eligible training."),
    )
    expires_on = forms.DateField(label=_("Usable until (optional)"), required=False, **DATE_WIDGET)
    return_unused = forms.BooleanField(label=_("Unused money comes back to us after this date"), required=False)


class AskForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=None,
        empty_label=_("Choose a funder"),
        error_messages={"invalid_choice": _("Choose a funder from the list.")},
    )
    message = forms.CharField(
        label=_("Message to the funder (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class GrantForm(DsfrBaseForm):
    amount = forms.CharField(label=_("Amount you cover, in euros"), max_length=20)


class RefuseForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason, for the holder"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(DsfrBaseForm):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 or Latin-1, “;” or “,” as separator."))
    skip_invalid = forms.BooleanField(
        label=_("Credit the valid lines even if others are refused"),
        required=False,
        help_text=_("Unticked: one refused line and nothing is credited."),
    )
    wet_run = forms.BooleanField(
        label=_("Credit for real"),
        required=False,
        help_text=_("Unticked: the file is only checked, line by line."),
    )
