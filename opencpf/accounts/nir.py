"""The NIR (French social security number): 13 characters and a mod-97 key.

python-stdnum checks the length, the digits (Corsica 2A/2B included) and the key; we add what it does not:
the sex digit, the month code and the consistency with the birth date the holder gave.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import nir as stdnum_nir

SEX_DIGITS = {"1", "2"}
# INSEE month codes: 01-12, or 20-42 and 50-99 when the civil status did not give a month.
UNKNOWN_MONTH_CODES = set(range(20, 43)) | set(range(50, 100))


def normalize_nir(value: str) -> str:
    return stdnum_nir.compact(value or "")


def validate_nir(value: str, birth_date: datetime.date | None = None) -> str:
    """Return the compact NIR or raise a ValidationError saying what is wrong, in the user's language."""
    number = normalize_nir(value)
    if len(number) != 15:
        raise ValidationError(_("A social security number has 15 characters (13 and a 2-digit key)."), "nir_length")
    try:
        stdnum_nir.validate(number)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(_("A social security number has 15 characters (13 and a 2-digit key)."), "nir_length")
    except stdnum_exceptions.InvalidFormat:
        raise ValidationError(
            _("A social security number contains only digits (and 2A or 2B for Corsica)."), "nir_format"
        )
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(_("The key (last 2 digits) of this social security number is wrong."), "nir_key")
    if number[0] not in SEX_DIGITS:
        raise ValidationError(_("A social security number starts with 1 or 2."), "nir_sex")
    month_code = int(number[3:5])
    if not (1 <= month_code <= 12 or month_code in UNKNOWN_MONTH_CODES):
        raise ValidationError(_("Digits 4 and 5 of a social security number are a month of birth."), "nir_month")
    if birth_date is not None:
        if int(number[1:3]) != birth_date.year % 100:
            raise ValidationError(
                _("The year in this social security number does not match the birth date given."), "nir_birth_year"
            )
        if 1 <= month_code <= 12 and month_code != birth_date.month:
            raise ValidationError(
                _("The month in this social security number does not match the birth date given."), "nir_birth_month"
            )
    return number


def nir_key(first_13: str) -> str:
    """The 2-digit key of a 13-character NIR body (used by the demo and the generators)."""
    return stdnum_nir.calc_check_digits(first_13)


def mask_nir(number: str) -> str:
    """Shown on screens and in logs: enough to recognise it, not enough to reuse it."""
    return f"{number[:1]} {number[1:3]} {number[3:5]} •• ••• ••• {number[13:]}" if len(number) == 15 else "•••"
