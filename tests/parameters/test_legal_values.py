"""Legal values shown to people are the parameters in force, formatted in the reader's language."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from opencpf.parameters import parameter
from opencpf.rights.enums import AbsenceKind
from opencpf.rights.rules import Employment, yearly_credit
from opencpf.rights.selectors import absences_counted_as_work, absences_rule_text, render_lines
from opencpf.utils.legal import format_unit, legal_text, legal_value
from tests.dossiers.factories import GOOD_CARD, make_world

D = datetime.date


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("unit", "value", "english"),
    [
        ("currency-EUR", Decimal("1290"), "1,290.00 €"),
        ("currency-EUR", Decimal("103.2"), "103.20 €"),
        ("share", Decimal("0.05"), "5 %"),
        ("share", Decimal("0.125"), "12.5 %"),
        ("business-days", 1, "1 business day"),
        ("business-days", 7, "7 business days"),
        ("days", 30, "30 days"),
        ("hours", 1607, "1,607 hours"),
        ("count", 5, "5"),
    ],
)
def test_a_value_is_written_with_its_unit(unit, value, english):
    with translation.override("en"):
        assert plain(format_unit(unit, value)) == english


@pytest.mark.parametrize(
    ("unit", "value", "french"),
    [
        ("currency-EUR", Decimal("1290"), "1 290,00 €"),
        ("currency-EUR", Decimal("103.2"), "103,20 €"),
        ("share", Decimal("0.05"), "5 %"),
        ("share", Decimal("0.125"), "12,5 %"),
        ("count", 1607, "1 607"),
    ],
)
def test_a_value_is_written_the_french_way_in_french(unit, value, french):
    with translation.override("fr"):
        assert plain(format_unit(unit, value)) == french


def test_a_unit_without_a_display_is_refused():
    with pytest.raises(ValueError, match="no display"):
        format_unit("list", ["maternity"])


def test_the_value_shown_is_the_one_in_force_on_the_date_asked(english):
    assert plain(legal_value("contribution/flat_contribution", on=D(2025, 6, 1))) == "102.23 €"
    assert plain(legal_value("contribution/flat_contribution", on=D(2026, 2, 1))) == "103.20 €"
    template = Template('{% load legal %}{% legal_value "contribution/flat_contribution" on=day %}')
    assert plain(template.render(Context({"day": D(2024, 6, 1)}))) == "100.00 €"


def test_a_message_takes_its_values_through_placeholders(english):
    text = legal_text(
        "Your yearly credit is then %(priority)s instead of %(annual)s.",
        **{
            "priority": "rights/annual_amount_priority",
            "annual": "rights/annual_amount",
            "on": D(2025, 6, 1),
        },
    )
    assert text == (
        f"Your yearly credit is then {legal_value('rights/annual_amount_priority', on=D(2025, 6, 1))} "
        f"instead of {legal_value('rights/annual_amount', on=D(2025, 6, 1))}."
    )


# --- counted absences ----------------------------------------------------------------------------------------


def test_the_counted_absences_are_the_parameters_and_have_labels():
    counted, other = absences_counted_as_work(D(2025, 6, 1))
    assert set(counted) == set(parameter("rights/absences_counted_as_work").value(D(2025, 6, 1)))
    assert set(counted) | set(other) == set(AbsenceKind.values) and not set(counted) & set(other)
    assert AbsenceKind.SICK_LEAVE in other and AbsenceKind.PARTIAL_ACTIVITY in other


def test_the_simulator_says_which_absences_count_from_the_parameter(english):
    counted, other = absences_counted_as_work(D.today())
    rule = absences_rule_text()
    head, tail = rule.split(" count as time worked; ")
    assert all(str(AbsenceKind(kind).label).lower() in head.lower() for kind in counted)
    assert all(str(AbsenceKind(kind).label).lower() in tail.lower() for kind in other)


def test_the_explanation_names_the_absences_declared(english):
    employment = Employment(
        hours_worked=Decimal("700"), absences={"maternity": Decimal("100"), "sick_leave": Decimal("50")}
    )
    lines = [line.text for line in render_lines(yearly_credit(year=2025, employments=[employment]).lines)]
    assert "100 h of absence count as time worked (maternity leave)." in lines
    assert "50 h of other absence (ordinary sick leave) do not count as time worked." in lines


# --- pages ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_home_page_gives_the_answer_delay_in_force(client, english):
    page = plain(client.get("/").content.decode())
    assert f"The organisation answers within {legal_value('dossiers/respond_days')};" in page


@pytest.mark.django_db
def test_the_simulator_gives_the_legal_full_time_in_force(client, english):
    page = plain(client.get(reverse("rights:simulate")).content.decode())
    assert f"{plain(legal_value('rights/reference_hours'))} unless your collective agreement" in page


@pytest.mark.django_db
def test_the_cancellation_page_gives_the_delay_and_shares_in_force(client, english):
    from opencpf.dossiers import services

    today = datetime.date.today()
    world = make_world(
        price="1200.00",
        start=(today + datetime.timedelta(days=60)).isoformat(),
        end=(today + datetime.timedelta(days=64)).isoformat(),
        acquired="3000.00",
    )
    dossier = services.dossier_register(user=world.user, session_id=world.session.pk)
    services.dossier_propose(dossier_id=dossier.pk, user=world.staff, price="1200.00")
    services.dossier_accept(dossier_id=dossier.pk, user=world.user, card=GOOD_CARD)
    client.force_login(world.user)
    page = plain(client.get(reverse("dossiers:cancel", args=[dossier.pk])).content.decode())
    assert f"By you, more than {legal_value('dossiers/free_cancellation_days')} before the start" in page
    assert f"the organisation receives {plain(legal_value('dossiers/late_cancellation_share'))} of the price" in page
    minimum = plain(legal_value("dossiers/abandonment_minimum_share"))
    full = plain(legal_value("dossiers/abandonment_full_share_above"))
    assert f"({minimum} at least, in full above {full})" in page
