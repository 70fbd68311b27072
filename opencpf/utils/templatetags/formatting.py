"""`{{ day|long_date }}` → "1er décembre 2026" / "1 December 2026"; `{{ day|day_month }}` without the year;
`{{ day|full_date }}` with the weekday; `{{ moment|long_datetime }}` with the time."""

from django import template

from opencpf.utils.formatting import long_date as _long_date
from opencpf.utils.formatting import long_datetime as _long_datetime

register = template.Library()


@register.filter
def long_date(value) -> str:
    return _long_date(value)


@register.filter
def day_month(value) -> str:
    return _long_date(value, year=False)


@register.filter
def full_date(value) -> str:
    return _long_date(value, weekday=True)


@register.filter
def long_datetime(value, seconds: str = "") -> str:
    """`{{ at|long_datetime }}` → "14 décembre 2026, 09:05" / "14 December 2026, 09:05" in Paris time (back-office
    tables, histories); `{{ at|long_datetime:"seconds" }}` adds the seconds (the audit log)."""
    return _long_datetime(value, seconds=bool(seconds))
