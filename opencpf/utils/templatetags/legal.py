"""`{% legal_value "dossiers/free_cancellation_days" as days %}`: a legal value in force, formatted for people."""

import datetime

from django import template
from django.utils import timezone

from opencpf.utils import legal

register = template.Library()


@register.simple_tag
def legal_value(name: str, on: datetime.date | datetime.datetime | None = None) -> str:
    """The value in force today, or on `on` (a date, or a moment taken as its date in Paris)."""
    if isinstance(on, datetime.datetime):
        on = timezone.localdate(on)
    return legal.legal_value(name, on=on)
