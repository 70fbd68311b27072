"""The matching rule between a FranceConnect identity and a holder's account (one pure function), and the reading
of FranceConnect's claims."""

import datetime

import pytest

from opencpf.identity.enums import MatchPoint
from opencpf.identity.franceconnect.matching import ClaimsError, identity_from_claims, identity_mismatches
from tests.accounts.factories import make_nir

BORN = datetime.date(1985, 5, 14)
CLAIMS = {
    "sub": "abc",
    "given_name": "Camille Jeanne",
    "family_name": "Dupré-Martin",
    "birthdate": "1985-05-14",
    "gender": "female",
    "birthplace": "75056",
    "birthcountry": "99100",
    "preferred_username": "",
}
ACCOUNT = {
    "nir": make_nir(BORN, 12, sex="2", place="75056"),
    "last_name": "Dupré-Martin",
    "first_names": "Camille",
    "birth_date": BORN,
}


def mismatches(claims: dict | None = None, **account) -> list[MatchPoint]:
    identity = identity_from_claims(CLAIMS | (claims or {}))
    return identity_mismatches(**(ACCOUNT | account), identity=identity)


def test_the_same_person_matches():
    assert mismatches() == []


@pytest.mark.parametrize(
    "last_name",
    ["DUPRE MARTIN", "dupré martin", "Dupre-Martin", "DUPRÉ—MARTIN", "Ｄｕｐｒé-Martin", "  Dupré-Martin "],
)
def test_case_accents_punctuation_and_width_do_not_matter(last_name):
    assert mismatches(last_name=last_name) == []


@pytest.mark.parametrize(
    "last_name",
    [
        "Dupré",  # a part of the name is not the name
        "Martin",
        "Dupré-Martins",
        "Dupre-Martín-Lopez",
        "Дupré-Martin",  # a Cyrillic Д looks like nothing Latin; "Dupré-Мartin" below uses a Cyrillic М
        "Dupré-Мartin",
        "",
    ],
)
def test_a_different_or_look_alike_birth_name_does_not_match(last_name):
    assert mismatches(last_name=last_name) == [MatchPoint.FAMILY_NAME]


def test_the_account_may_hold_only_the_first_of_the_first_names():
    assert mismatches(first_names="Camille Jeanne") == []
    assert mismatches(first_names="camille  JEANNE") == []
    assert mismatches({"given_name": "Camille-Jeanne"}, first_names="Camille Jeanne") == []


@pytest.mark.parametrize("first_names", ["Jeanne", "Camilla", "Camille Marie", "Camille Jeanne Louise", ""])
def test_other_first_names_do_not_match(first_names):
    assert mismatches(first_names=first_names) == [MatchPoint.GIVEN_NAMES]


def test_birth_date_sex_and_place_are_compared_with_the_account_and_its_nir():
    assert mismatches({"birthdate": "1985-05-15"}) == [MatchPoint.BIRTHDATE]
    assert mismatches({"gender": "male"}) == [MatchPoint.SEX]
    assert mismatches({"birthplace": "69123"}) == [MatchPoint.BIRTHPLACE]
    assert mismatches({"birthplace": "", "birthcountry": "99350"}) == [MatchPoint.BIRTHPLACE]
    assert mismatches({"family_name": "Durand", "birthdate": "1986-05-14", "gender": "male"}) == [
        MatchPoint.FAMILY_NAME,
        MatchPoint.BIRTHDATE,
        MatchPoint.SEX,
    ]


def test_born_abroad_the_nir_holds_99_and_the_country():
    nir = make_nir(BORN, 12, sex="2", place="99350")  # Morocco
    abroad = {"birthplace": "", "birthcountry": "99350"}
    assert mismatches(abroad, nir=nir) == []
    assert mismatches({"birthplace": "", "birthcountry": "99134"}, nir=nir) == [MatchPoint.BIRTHPLACE]  # Spain
    assert mismatches(nir=nir) == [MatchPoint.BIRTHPLACE]  # FranceConnect says Paris
    # A commune sent along with a foreign country is not the place of birth.
    assert mismatches(abroad | {"birthplace": "75056"}, nir=nir) == []


def test_corsica_reads_20_in_older_nirs_and_2a_2b_in_newer_ones():
    old_nir = make_nir(datetime.date(1970, 5, 14), 12, sex="2", place="20004")
    new_nir = make_nir(datetime.date(1985, 5, 14), 12, sex="2", place="2A004")
    corsica = {"birthplace": "2A004"}
    assert mismatches(corsica | {"birthdate": "1970-05-14"}, nir=old_nir, birth_date=datetime.date(1970, 5, 14)) == []
    assert mismatches(corsica, nir=new_nir) == []
    assert mismatches({"birthplace": "2A005"}, nir=new_nir) == [MatchPoint.BIRTHPLACE]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"birthdate": None}, ["birthdate"]),
        ({"birthdate": "14/05/1985"}, ["birthdate"]),
        ({"birthdate": "1985-13-01"}, ["birthdate"]),
        ({"gender": "other"}, ["gender"]),
        ({"family_name": "   "}, ["family_name"]),
        ({"given_name": "Camille\x00"}, ["given_name"]),
        ({"given_name": "C" * 5000}, ["given_name"]),
        ({"family_name": 42}, ["family_name"]),
        ({"birthcountry": "FR"}, ["birthcountry"]),
        ({"birthplace": ""}, ["birthplace"]),  # born in France: the commune is required
        ({"birthplace": "Paris"}, ["birthplace"]),
        ({"preferred_username": ["x"]}, ["preferred_username"]),
        ({"given_name": None, "family_name": None, "birthdate": None}, ["given_name", "family_name", "birthdate"]),
    ],
)
def test_missing_or_malformed_claims_are_named(changes, named):
    claims = {key: value for key, value in (CLAIMS | changes).items() if value is not None}
    with pytest.raises(ClaimsError) as error:
        identity_from_claims(claims)
    assert error.value.claims == named


def test_a_far_date_is_read_and_does_not_match():
    assert mismatches({"birthdate": "9999-12-31"}) == [MatchPoint.BIRTHDATE]
