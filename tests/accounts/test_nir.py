import datetime

import pytest
from django.core.exceptions import ValidationError

from opencpf.accounts.nir import nir_key, validate_nir


def test_valid_nir_with_spaces_is_compacted():
    body = "2950599123456"
    assert validate_nir(f"2 95 05 99 123 456 {nir_key(body)}") == body + nir_key(body)


def test_corsica_2a_and_2b_keys():
    # python-stdnum's own examples: Corsica replaces 2A by 19 and 2B by 18 in the key computation.
    assert validate_nir("253072A07300443") == "253072A07300443"
    assert validate_nir("253072B07300470") == "253072B07300470"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("29505991234", "nir_length"),
        ("2950599123456499", "nir_length"),
        ("295059912345X49", "nir_format"),
        ("295059912345650", "nir_key"),
        ("3950599123456" + nir_key("3950599123456"), "nir_sex"),
        ("2951399123456" + nir_key("2951399123456"), "nir_month"),
    ],
)
def test_invalid_nir_says_why(value, code):
    with pytest.raises(ValidationError) as error:
        validate_nir(value)
    assert error.value.code == code


def test_nir_must_match_birth_date():
    nir = "2950599123456" + nir_key("2950599123456")
    assert validate_nir(nir, datetime.date(1995, 5, 1)) == nir
    with pytest.raises(ValidationError) as error:
        validate_nir(nir, datetime.date(1996, 5, 1))
    assert error.value.code == "nir_birth_year"
    with pytest.raises(ValidationError) as error:
        validate_nir(nir, datetime.date(1995, 6, 1))
    assert error.value.code == "nir_birth_month"


def test_unknown_month_code_accepts_any_birth_month():
    nir = "2953099123456" + nir_key("2953099123456")
    assert validate_nir(nir, datetime.date(1995, 11, 2)) == nir
