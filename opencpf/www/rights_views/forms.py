from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.accounts.enums import HolderStatus
from opencpf.rights import rules
from opencpf.rights.selectors.explanations import absences_rule_text
from opencpf.utils.legal import legal_text_lazy

absences_help = lazy(absences_rule_text, str)()

MAX_HOURS = Decimal(366 * 24)


class SimulateForm(DsfrBaseForm):
    """What a year's work would credit. Sent with GET so a simulation can be bookmarked or shared."""

    status = forms.ChoiceField(label=_("Your situation during the year"), choices=HolderStatus.choices)
    year = forms.IntegerField(
        label=_("Year worked"),
        validators=[
            MinValueValidator(
                rules.first_year_in_euros,
                _("Rights are counted in euros from %(limit_value)s: choose %(limit_value)s or later."),
            )
        ],
    )
    hours_worked = forms.DecimalField(
        label=_("Hours worked in the year (employees)"),
        help_text=format_lazy(
            "{} {}", _("All your employers together, with the absences counted as worked."), absences_help
        ),
        required=False,
        min_value=0,
        max_value=MAX_HOURS,
        decimal_places=2,
    )
    reference_hours = forms.DecimalField(
        label=_("Full-time hours of a year"),
        help_text=legal_text_lazy(
            _("%(hours)s unless your collective agreement sets another duration."), hours="rights/reference_hours"
        ),
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURS,
        decimal_places=2,
    )
    months_active = forms.IntegerField(
        label=_("Months of activity with the training contribution paid (self-employed)"),
        required=False,
        min_value=0,
        max_value=12,
    )
    low_qualified = forms.BooleanField(label=_("I have no certification of level 3 (CAP, BEP)"), required=False)
    disabled_worker = forms.BooleanField(label=_("I am a recognised disabled worker (BOETH)"), required=False)
    balance = forms.DecimalField(
        label=_("Acquired rights today, in euros (top-ups excluded)"),
        required=False,
        min_value=0,
        max_value=Decimal("100000"),
        decimal_places=2,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators.append(
            MaxValueValidator(timezone.localdate().year + 1, _("Choose a year up to next year."))
        )
        self.fields["status"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == HolderStatus.EMPLOYEE and data.get("hours_worked") is None and "hours_worked" not in self.errors:
            self.add_error("hours_worked", _("Give the hours worked in the year."))
        if (
            status == HolderStatus.SELF_EMPLOYED
            and data.get("months_active") is None
            and "months_active" not in self.errors
        ):
            self.add_error("months_active", _("Give the months of activity."))
        return data
