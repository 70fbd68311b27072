"""`{{ day|long_date }}` → "1er décembre 2026" / "1 December 2026"; `{{ day|day_month }}` without the year;
`{{ day|full_date }}` with the weekday."""

from django import template

from opencpf.utils.formatting import long_date as _long_date

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
