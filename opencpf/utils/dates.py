"""The window of dates the service accepts as input (one place for every form and the API).

Not a legal rule: a sanity bound. Nothing the CPF handles (sessions, proposals, expiries, searches) is more than a
few years away, and keeping every input date inside this window keeps deadline arithmetic (business days after a
date) far from `datetime.date.max`, where it would overflow.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.utils.formatting import long_date

YEARS_BACK = 10
YEARS_AHEAD = 5
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest) date accepted for a session, a proposal, an expiry or a search filter."""
    today = today or timezone.localdate()
    return _years_from(today, -YEARS_BACK), _years_from(today, YEARS_AHEAD)


def validate_date_in_window(value: datetime.date | None, today: datetime.date | None = None) -> None:
    if value is None:
        return
    earliest, latest = date_window(today)
    if not earliest <= value <= latest:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {
                "earliest": long_date(earliest),
                "latest": long_date(latest),
            },
            code="date_out_of_window",
        )


def validate_birth_date(value: datetime.date | None) -> None:
    if value is not None and value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Check the birth date."), code="birth_date_too_old")
