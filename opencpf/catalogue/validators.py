import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

# RNCP and Répertoire spécifique codes: the prefix and up to 6 digits (RNCP37274, RS5432), nothing else.
CERTIFICATION_CODE = re.compile(r"^(RNCP|RS)([0-9]{1,6})$")


def normalise_certification_code(value: str) -> str:
    """ "rncp 37274" → "RNCP37274"; ValidationError for anything else ("RSRS99", 5 000 digits, "MBA")."""
    compact = re.sub(r"[\s\-_.]", "", value or "").upper()
    match = CERTIFICATION_CODE.match(compact)
    if match is None or int(match.group(2)) == 0:
        raise ValidationError(_("Certification codes look like RNCP37274 or RS5432."), code="certification_code")
    return f"{match.group(1)}{int(match.group(2))}"


def certification_code_key(value: str) -> str:
    """The form two certification codes are compared in: "RNCP 037274" and "rncp37274" are the same code. A code
    that is not an RNCP or RS code (a driving licence, a VAE) is only trimmed and upper-cased."""
    try:
        return normalise_certification_code(value)
    except ValidationError:
        return (value or "").strip().upper()


def normalise_siret(value: str) -> str:
    """The 14 digits of a SIRET, or ValidationError (format, length and Luhn checksum, La Poste's included)."""
    compact = stdnum_siret.compact(value or "")
    try:
        return stdnum_siret.validate(compact)
    except InvalidLength:
        raise ValidationError(_("A SIRET has 14 digits."), code="siret_length")
    except InvalidFormat:
        raise ValidationError(_("A SIRET has only digits."), code="siret_format")
    except InvalidChecksum:
        raise ValidationError(_("This SIRET is not valid (wrong check digit)."), code="siret_checksum")
    except StdnumError:
        raise ValidationError(_("This SIRET is not valid."), code="siret_invalid")
