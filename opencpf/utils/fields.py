"""Form fields shared by every area."""

from django import forms

from opencpf.utils.dates import validate_date_in_window
from opencpf.utils.text import clean_name


class NameField(forms.CharField):
    """A person's or organisation's name: invisible and direction-changing characters removed (see clean_name)."""

    def to_python(self, value):
        return clean_name(super().to_python(value))


class WindowDateField(forms.DateField):
    """A date inside the service's window (opencpf.utils.dates): no session or proposal in year 9999."""

    default_validators = [validate_date_in_window]
