from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from opencpf.catalogue.enums import SearchSort
from opencpf.catalogue.search import DEFAULT_RADIUS_KM, RADIUS_CHOICES


class SearchForm(DsfrBaseForm):
    """Renders the search filters; the values are checked by the search service (`parse_search_params`)."""

    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=200,
        help_text=_("A job, a skill, a certification: “anglais”, “développeur web”, “CACES”…"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=5,
        help_text=_("Trainings near this place"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "pattern": "[0-9]{5}"}),
    )
    radius_km = forms.TypedChoiceField(
        label=_("Within"),
        required=False,
        coerce=int,
        initial=DEFAULT_RADIUS_KM,
        choices=[(km, _("%(km)s km") % {"km": km}) for km in RADIUS_CHOICES],
    )
    remote = forms.BooleanField(label=_("Remote or mixed trainings only"), required=False)
    start_after = forms.CharField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_before = forms.CharField(
        label=_("Starting by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    max_price = forms.CharField(
        label=_("Maximum price (€)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    max_hours = forms.CharField(
        label=_("Maximum duration (hours)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    certification = forms.CharField(
        label=_("Certification"),
        required=False,
        max_length=40,
        help_text=_("A code such as RNCP37274 or RS5464"),
    )
    min_rating = forms.ChoiceField(
        label=_("Minimum rating"),
        required=False,
        choices=[("", _("Any")), ("3", "3 / 5"), ("3.5", "3,5 / 5"), ("4", "4 / 5"), ("4.5", "4,5 / 5")],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SearchSort.choices)

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
