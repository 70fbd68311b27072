import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.widgets import InlineRadioSelect

from opencpf.accounts.enums import HolderStatus
from opencpf.advisors.enums import AppointmentMode, AppointmentSubject, HalfDay
from opencpf.identity.enums import DocumentKind

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class FindForm(DsfrBaseForm):
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{5}$",
        required=False,
        max_length=5,
        error_messages={"invalid": _("Enter a French postal code of 5 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    status = forms.ChoiceField(label=_("My situation"), choices=HolderStatus.choices, initial=HolderStatus.EMPLOYEE)
    age = forms.IntegerField(label=_("My age (optional)"), required=False, min_value=0, max_value=130)
    disabled_worker = forms.BooleanField(label=_("I am a disabled worker (RQTH)"), required=False)
    manager = forms.BooleanField(label=_("I am a manager (cadre)"), required=False)
    abroad = forms.BooleanField(label=_("I live outside France"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("abroad") and not data.get("postal_code") and "postal_code" not in self.errors:
            self.add_error("postal_code", _("Enter your postal code, or tick “I live outside France”."))
        return data


class RequestForm(DsfrBaseForm):
    subject = forms.ChoiceField(label=_("What would you like to talk about?"), choices=AppointmentSubject.choices)
    mode = forms.ChoiceField(label=_("How"), choices=AppointmentMode.choices, widget=InlineRadioSelect)
    slot1_date = forms.DateField(label=_("First choice: day"), **DATE_WIDGET)
    slot1_half_day = forms.ChoiceField(label=_("First choice: time"), choices=HalfDay.choices)
    slot2_date = forms.DateField(label=_("Second choice: day"), **DATE_WIDGET)
    slot2_half_day = forms.ChoiceField(label=_("Second choice: time"), choices=HalfDay.choices)
    slot3_date = forms.DateField(label=_("Third choice: day (optional)"), required=False, **DATE_WIDGET)
    slot3_half_day = forms.ChoiceField(label=_("Third choice: time"), choices=HalfDay.choices, required=False)
    message = forms.CharField(
        label=_("Message to the advisor (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    share_balance = forms.BooleanField(label=_("Share my rights balance with the advisor"), required=False)
    share_dossiers = forms.BooleanField(label=_("Share my training files with the advisor"), required=False)

    def __init__(self, *args, remote_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if remote_only:
            self.fields["mode"].choices = [c for c in AppointmentMode.choices if c[0] != AppointmentMode.IN_PERSON]

    def slots(self) -> list[tuple[datetime.date, str]]:
        data = self.cleaned_data
        return [
            (data[f"slot{n}_date"], data.get(f"slot{n}_half_day") or HalfDay.MORNING)
            for n in (1, 2, 3)
            if data.get(f"slot{n}_date")
        ]


class ProposeForm(DsfrBaseForm):
    day = forms.DateField(label=_("Day"), **DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    message = forms.CharField(
        label=_("Message to the holder (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def moment(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))


class DeclineForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class IdentityForm(DsfrBaseForm):
    document_kind = forms.ChoiceField(label=_("Original document seen"), choices=DocumentKind.choices)
    checked = forms.BooleanField(
        label=_("I met this person: the photo is theirs, and the document bears the names and birth date above."),
        error_messages={"required": _("Tick this box once you have checked the document.")},
    )
