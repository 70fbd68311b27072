"""Dates written for people, in the active language: "1er décembre 2026" in French, "1 December 2026" in English.

Django's date formats cannot write the French ordinal "1er", and its English short format ("12/01/2026") reads
differently on each side of the Atlantic: text that tells a holder a date goes through `long_date`.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language


def long_date(day: datetime.date | datetime.datetime | None, *, year: bool = True, weekday: bool = False) -> str:
    """14 décembre 2026, 1er décembre 2026; 1 December 2026 (without the year: 1er décembre, 1 December; with the
    weekday: mardi 1er décembre 2026, Tuesday 1 December 2026)."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    month_and_year = formats.date_format(day, "F Y" if year else "F")
    number = "1er" if day.day == 1 and (get_language() or "fr").startswith("fr") else str(day.day)
    text = f"{number}\u00a0{month_and_year}"
    return f"{formats.date_format(day, 'l')} {text}" if weekday else text


def long_datetime(moment: datetime.datetime | None, *, seconds: bool = False) -> str:
    """14 décembre 2026, 09:05 / 14 December 2026, 09:05: the day as `long_date`, the time in Paris on 24 hours
    (unambiguous in both languages)."""
    if moment is None:
        return ""
    if not isinstance(moment, datetime.datetime):
        return long_date(moment)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{long_date(local)}, {local:%H:%M:%S}" if seconds else f"{long_date(local)}, {local:%H:%M}"
