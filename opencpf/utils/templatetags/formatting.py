"""`{{ day|long_date }}` → "1er décembre 2026" / "1 December 2026"; `{{ day|day_month }}` without the year;
`{{ day|full_date }}` with the weekday; `{{ moment|long_datetime }}` with the time."""

import datetime

from django import template

from opencpf.utils.formatting import long_date as _long_date
from opencpf.utils.formatting import long_datetime as _long_datetime

register = template.Library()


def _day(value):
    """Like Django's `date` filter, anything that is not a date (a missing variable) writes nothing."""
    return value if isinstance(value, datetime.date) else None


@register.filter
def long_date(value) -> str:
    return _long_date(_day(value))


@register.filter
def day_month(value) -> str:
    return _long_date(_day(value), year=False)


@register.filter
def full_date(value) -> str:
    return _long_date(_day(value), weekday=True)


@register.filter
def long_datetime(value, seconds: str = "") -> str:
    """`{{ at|long_datetime }}` → "14 décembre 2026, 09:05" / "14 December 2026, 09:05" in Paris time (back-office
    tables, histories); `{{ at|long_datetime:"seconds" }}` adds the seconds (the audit log)."""
    return _long_datetime(_day(value), seconds=bool(seconds))
