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

    def mark_invalid(self, errors: dict[str, list[str]]) -> None:
        """Flags the fields in error; their messages are said once, in the summary above the results."""
        for name in errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": "search-errors"})

    def error_list(self, errors: dict[str, list[str]]) -> list[dict[str, str]]:
        """[{"label", "field_id", "message"}], each message once, in the order of the fields."""
        order = {name: position for position, name in enumerate(self.fields)}
        listed: list[dict[str, str]] = []
        seen: set[str] = set()
        for name in sorted(errors, key=lambda name: order.get(name, len(order))):
            for message in errors[name]:
                if message in seen:
                    continue
                seen.add(message)
                field = self.fields.get(name)
                listed.append(
                    {
                        "label": str(field.label) if field else "",
                        "field_id": self[name].auto_id if field else "",
                        "message": str(message),
                    }
                )
        return listed
