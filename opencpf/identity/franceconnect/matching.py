"""The identity FranceConnect sends, read from its claims, and the one rule that says whether it is the holder's.

Pure functions: no database, no request. The comparison forgives case, accents and punctuation ("Dupré-Martin" is
"DUPRE MARTIN") but not a different name, date, sex or place."""

import datetime
import re
from dataclasses import dataclass

from opencpf.accounts.selectors import _comparable_name as comparable_name
from opencpf.identity.enums import MatchPoint

FRANCE = "99100"  # INSEE code of France as a country of birth
REQUIRED_CLAIMS = ("given_name", "family_name", "birthdate", "gender", "birthcountry")
SEX_DIGIT = {"male": "1", "female": "2"}
MAX_CLAIM_LENGTH = 200
_INSEE_COMMUNE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")
_INSEE_COUNTRY = re.compile(r"^99\d{3}$")


class ClaimsError(Exception):
    """Claims missing or not in FranceConnect's format: `claims` names them."""

    def __init__(self, claims: list[str]):
        self.claims = claims
        super().__init__(", ".join(claims))


@dataclass(frozen=True)
class FederatedIdentity:
    given_name: str  # every first name, in civil-status order, separated by spaces
    family_name: str  # the birth name
    birthdate: datetime.date
    gender: str  # "male" or "female"
    birthplace: str  # INSEE code of the commune of birth ("" when born abroad)
    birthcountry: str  # INSEE code of the country of birth (99100 = France)
    preferred_username: str = ""  # the usage name, when there is one


def _text(claims: dict, name: str) -> str | None:
    value = claims.get(name)
    if not isinstance(value, str) or "\x00" in value or len(value) > MAX_CLAIM_LENGTH:
        return None
    return value.strip()


def identity_from_claims(claims: dict) -> FederatedIdentity:
    """Raises ClaimsError naming every claim that is missing or malformed."""
    bad = [name for name in REQUIRED_CLAIMS if not _text(claims, name)]
    birthdate = None
    if "birthdate" not in bad:
        try:
            birthdate = datetime.date.fromisoformat(_text(claims, "birthdate"))
        except ValueError:
            bad.append("birthdate")
    if "gender" not in bad and _text(claims, "gender") not in SEX_DIGIT:
        bad.append("gender")
    country = _text(claims, "birthcountry") or ""
    if "birthcountry" not in bad and not _INSEE_COUNTRY.match(country):
        bad.append("birthcountry")
    birthplace = (_text(claims, "birthplace") or "").upper()
    if country == FRANCE and not _INSEE_COMMUNE.match(birthplace):
        bad.append("birthplace")  # born in France: the commune is required
    preferred = claims.get("preferred_username")
    if preferred is not None and _text(claims, "preferred_username") is None:
        bad.append("preferred_username")
    if bad:
        raise ClaimsError(bad)
    return FederatedIdentity(
        given_name=_text(claims, "given_name"),
        family_name=_text(claims, "family_name"),
        birthdate=birthdate,
        gender=_text(claims, "gender"),
        birthplace=birthplace if country == FRANCE else "",
        birthcountry=country,
        preferred_username=_text(claims, "preferred_username") or "",
    )


def _words(names: str) -> list[str]:
    """ "Jean-Pierre  Émile" -> ["jean", "pierre", "emile"]: each word compared as names are everywhere."""
    return [word for word in map(comparable_name, re.split(r"[\s\-,]+", names or "")) if word]


def _place_of_nir(nir: str) -> str:
    """Digits 6 to 10 of the NIR: the INSEE commune of birth, or 99 and the country for a birth abroad. Corsica was
    "20" before 1976 and "2A"/"2B" since: both read "20"."""
    place = nir[5:10].upper()
    return "20" + place[2:] if place[:2] in ("2A", "2B") else place


def identity_mismatches(
    *, nir: str, last_name: str, first_names: str, birth_date: datetime.date, identity: FederatedIdentity
) -> list[MatchPoint]:
    """What differs between the holder's account and the federated identity; empty when it is the same person.

    - birth name: equal, letters and digits only, without case or accents;
    - first names: the account's, word by word, are the first of FranceConnect's (which lists them all);
    - birth date: equal;
    - sex: the first digit of the NIR (1 male, 2 female);
    - place of birth: NIR digits 6-10 are the INSEE commune when born in France, else 99 and the country."""
    mismatches = []
    if not comparable_name(last_name) or comparable_name(last_name) != comparable_name(identity.family_name):
        mismatches.append(MatchPoint.FAMILY_NAME)
    mine, theirs = _words(first_names), _words(identity.given_name)
    if not mine or mine != theirs[: len(mine)]:
        mismatches.append(MatchPoint.GIVEN_NAMES)
    if birth_date != identity.birthdate:
        mismatches.append(MatchPoint.BIRTHDATE)
    if nir[:1] != SEX_DIGIT.get(identity.gender):
        mismatches.append(MatchPoint.SEX)
    expected = identity.birthplace if identity.birthcountry == FRANCE else identity.birthcountry
    if _place_of_nir(nir) != _place_of_nir("00000" + expected):
        mismatches.append(MatchPoint.BIRTHPLACE)
    return mismatches
