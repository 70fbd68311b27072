from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret


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
