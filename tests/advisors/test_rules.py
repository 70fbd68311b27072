"""One rule picks the career advice network of a situation; its precedence, from the most specific public to the
general one, is pinned here, and the Missions locales' age bound comes from the dated parameters."""

import datetime

import pytest

from opencpf.advisors import rules
from opencpf.advisors.enums import Network
from opencpf.advisors.selectors import choose_network
from opencpf.parameters.loader import parameter

MAX_AGE = 25
EMPLOYEE, SELF_EMPLOYED, JOB_SEEKER = "employee", "self_employed", "job_seeker"


def network(**situation) -> Network:
    situation.setdefault("status", EMPLOYEE)
    return rules.network_for(rules.Situation(**situation), mission_locale_max_age=MAX_AGE).network


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        ({"status": JOB_SEEKER, "age": 40}, Network.FRANCE_TRAVAIL),
        ({"status": EMPLOYEE, "age": 22}, Network.MISSION_LOCALE),
        ({"status": EMPLOYEE, "age": 40, "disabled_worker": True}, Network.CAP_EMPLOI),
        ({"status": EMPLOYEE, "age": 40, "manager": True}, Network.APEC),
        ({"status": EMPLOYEE, "age": 40}, Network.REGIONAL_OPERATOR),
        ({"status": SELF_EMPLOYED, "age": 40}, Network.REGIONAL_OPERATOR),
        ({"status": EMPLOYEE}, Network.REGIONAL_OPERATOR),  # age unknown: not presumed young
        ({"status": EMPLOYEE, "age": 40, "abroad": True}, Network.ABROAD),
    ],
)
def test_each_public_has_its_network(situation, expected):
    assert network(**situation) == expected


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        # abroad comes first: no French site can receive them
        ({"status": JOB_SEEKER, "age": 20, "disabled_worker": True, "manager": True, "abroad": True}, Network.ABROAD),
        # then disability, whatever the age or status
        ({"status": JOB_SEEKER, "age": 20, "disabled_worker": True, "manager": True}, Network.CAP_EMPLOI),
        # then youth, before job seeking and managers
        ({"status": JOB_SEEKER, "age": 20, "manager": True}, Network.MISSION_LOCALE),
        # then job seeking, before being a manager
        ({"status": JOB_SEEKER, "age": 45, "manager": True}, Network.FRANCE_TRAVAIL),
        ({"status": SELF_EMPLOYED, "age": 45, "manager": True}, Network.APEC),
    ],
)
def test_precedence(situation, expected):
    assert network(**situation) == expected


def test_the_age_bound_is_inclusive():
    assert network(age=MAX_AGE) == Network.MISSION_LOCALE
    assert network(age=MAX_AGE + 1) == Network.REGIONAL_OPERATOR


def test_the_age_bound_is_a_dated_parameter_with_its_reference():
    bound = parameter("advisors/mission_locale_max_age")
    today = datetime.date(2026, 6, 1)
    assert bound.value(today) == 25
    assert any("L5314-2" in reference.title for reference in bound.references(today))
    young = rules.Situation(status=EMPLOYEE, age=25)
    assert choose_network(young, today).network == Network.MISSION_LOCALE
    assert choose_network(rules.Situation(status=EMPLOYEE, age=26), today).network == Network.REGIONAL_OPERATOR


def test_every_choice_is_explained_in_one_sentence(english):
    for situation in (
        {"status": JOB_SEEKER, "age": 40},
        {"age": 22},
        {"disabled_worker": True},
        {"manager": True, "age": 40},
        {"age": 40},
        {"abroad": True},
    ):
        situation.setdefault("status", EMPLOYEE)
        text = rules.network_for(rules.Situation(**situation), mission_locale_max_age=MAX_AGE).explanation
        assert text.endswith(".") and text.count(". ") == 0, text
    young = rules.network_for(rules.Situation(status=EMPLOYEE, age=22), mission_locale_max_age=MAX_AGE)
    assert "25" in young.explanation


def test_age_counts_whole_years():
    assert rules.age_on(datetime.date(2000, 6, 15), datetime.date(2026, 6, 14)) == 25
    assert rules.age_on(datetime.date(2000, 6, 15), datetime.date(2026, 6, 15)) == 26
    assert rules.age_on(datetime.date(2004, 2, 29), datetime.date(2026, 2, 28)) == 21
    assert rules.age_on(datetime.date(2004, 2, 29), datetime.date(2026, 3, 1)) == 22
