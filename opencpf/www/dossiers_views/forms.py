from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.widgets import InlineRadioSelect

from opencpf.dossiers.models import RATING_CRITERIA
from opencpf.utils.fields import WindowDateField
from opencpf.utils.formatting import long_date

PERCENT = {"min_value": Decimal("0"), "max_value": Decimal("100"), "decimal_places": 2}


class ReasonForm(DsfrBaseForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = _("Reason (optional)")


class OrganisationCancelForm(ReasonForm):
    """Cancelling a holder's training is confirmed explicitly, next to what it will do (shown by the page)."""

    confirm = forms.BooleanField(
        label=_("I confirm the cancellation of this holder's training"),
        error_messages={"required": _("Tick the box to confirm: the cancellation cannot be undone.")},
    )


class ProposeForm(DsfrBaseForm):
    session = forms.ChoiceField(label=_("Session"), required=False)
    start = WindowDateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    end = WindowDateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    price = forms.DecimalField(label=_("Price incl. tax, in euros"), min_value=Decimal("0.01"), decimal_places=2)
    message = forms.CharField(
        label=_("Message to the holder (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", _("Other dates (below)"))] + [
            (str(s.pk), f"{long_date(s.start_date)} – {long_date(s.end_date)} · {s.place_label}") for s in sessions
        ]
        self.fields["start"].help_text = _("Only for other dates than the session's.")


class ExitForm(DsfrBaseForm):
    completion_percent = forms.DecimalField(
        label=_("Share of the training completed, in %"),
        help_text=_("100 when the whole training was delivered."),
        initial=Decimal("100"),
        **PERCENT,
    )


class AbandonmentForm(DsfrBaseForm):
    attendance_percent = forms.DecimalField(label=_("Share of the training attended, in %"), **PERCENT)
    force_majeure = forms.BooleanField(
        label=_("Justified force majeure (serious illness, accident, death of a close relative…)"), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CardInput(forms.TextInput):
    """Card data is never sent back into a page (after a declined card or an error, the holder types it again)."""

    def format_value(self, value):
        return None


class CardForm(DsfrBaseForm):
    """The sandbox card form: nothing is sent to a bank."""

    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        help_text=_("Sandbox: 4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 is declined."),
        widget=CardInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry_month = forms.IntegerField(
        label=_("Expiry month"),
        min_value=1,
        max_value=12,
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-month"}),
    )
    expiry_year = forms.IntegerField(
        label=_("Expiry year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-year"}),
    )
    cvc = forms.CharField(
        label=_("Security code"),
        max_length=4,
        widget=CardInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )
    holder_name = forms.CharField(
        label=_("Name on the card"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )
    expected_card_amount = forms.DecimalField(widget=forms.HiddenInput, decimal_places=2)


class AcceptWithoutCardForm(DsfrBaseForm):
    expected_card_amount = forms.DecimalField(widget=forms.HiddenInput, decimal_places=2)


RATING_LABELS = {
    "welcome": _("Welcome"),
    "content": _("Content"),
    "trainers": _("Trainers"),
    "resources": _("Resources"),
    "support": _("Support"),
}
SCORES = [(str(n), str(n)) for n in range(1, 6)]


class EvaluationForm(DsfrBaseForm):
    took_place = forms.TypedChoiceField(
        label=_("Did the training take place?"),
        choices=[("yes", _("Yes, it took place")), ("no", _("No, it did not take place"))],
        coerce=lambda value: value == "yes",
        widget=InlineRadioSelect,
    )
    welcome = forms.ChoiceField(
        label=RATING_LABELS["welcome"], choices=SCORES, widget=InlineRadioSelect, required=False
    )
    content = forms.ChoiceField(
        label=RATING_LABELS["content"], choices=SCORES, widget=InlineRadioSelect, required=False
    )
    trainers = forms.ChoiceField(
        label=RATING_LABELS["trainers"], choices=SCORES, widget=InlineRadioSelect, required=False
    )
    resources = forms.ChoiceField(
        label=RATING_LABELS["resources"], choices=SCORES, widget=InlineRadioSelect, required=False
    )
    support = forms.ChoiceField(
        label=RATING_LABELS["support"], choices=SCORES, widget=InlineRadioSelect, required=False
    )
    comment = forms.CharField(
        label=_("Comment (optional, shown without your name on the training's page)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("took_place"):
            for name in RATING_CRITERIA:
                if not data.get(name):
                    self.add_error(name, _("Give a rating from 1 to 5."))
        return data


class WorklistFilterForm(DsfrBaseForm):
    """The organisation's work list filters (GET): every field optional; a bad value is said, not ignored."""

    q = forms.CharField(label=_("Holder's name or file number"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    offer = forms.TypedChoiceField(label=_("Training"), required=False, coerce=int, empty_value=None)
    session = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int, empty_value=None)
    start_after = WindowDateField(
        label=_("Starting from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    start_before = WindowDateField(
        label=_("Starting by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )
    deadline_before = WindowDateField(
        label=_("Next deadline by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )

    def __init__(self, *args, states=(), offers=(), sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *states]
        self.fields["offer"].choices = [("", _("All trainings")), *offers]
        self.fields["session"].choices = [("", _("All sessions")), *sessions]
