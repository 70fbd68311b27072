"""The legal parameters: every file is well formed, referenced, dated in order; the loader answers by date."""

import datetime
import subprocess
import sys
from decimal import Decimal

import pytest

from opencpf.parameters import (
    InvalidParameterFile,
    ParameterNotInForce,
    UnknownParameter,
    all_citations,
    all_parameters,
    parameter,
    value,
)
from opencpf.parameters.loader import PARAMETERS_DIR, load_parameters, parse_parameter

D = datetime.date


def test_every_parameter_file_loads_with_references_in_date_order():
    parameters = load_parameters(PARAMETERS_DIR)
    assert len(parameters) >= 20
    for name, item in parameters.items():
        starts = [period.start for period in item.periods]
        assert starts == sorted(starts) and len(set(starts)) == len(starts), name
        for period in item.periods:
            assert period.references, f"{name} at {period.start} has no legal reference"
            for reference in period.references:
                assert reference.title.strip(), name
                assert reference.href.startswith("https://"), name


def test_every_citation_has_a_title_and_a_link():
    citations = all_citations()
    assert {"top_up", "engagement", "restoration", "forfeiture", "closure", "correction"} <= set(citations)
    for reference in citations.values():
        assert reference.title and reference.href.startswith("https://")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2024, 5, 2), Decimal("100")),
        (D(2024, 12, 31), Decimal("100")),
        (D(2025, 1, 1), Decimal("102.23")),
        (D(2025, 12, 31), Decimal("102.23")),
        (D(2026, 1, 1), Decimal("103.20")),
        (D(2030, 6, 1), Decimal("103.20")),
    ],
)
def test_flat_contribution_by_date(on, expected):
    amount = value("contribution/flat_contribution", on=on)
    assert amount == expected
    assert isinstance(amount, Decimal)


def test_no_flat_contribution_before_2_may_2024():
    with pytest.raises(ParameterNotInForce, match="starts on 2024-05-02"):
        value("contribution/flat_contribution", on=D(2024, 5, 1))


def test_flat_contribution_cites_the_decree_and_the_code():
    references = parameter("contribution/flat_contribution").references(D(2024, 6, 1))
    assert "2024-394" in references[0].title and "L6323-4" in references[0].title
    assert references[0].href.startswith("https://www.legifrance.gouv.fr/")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rights/annual_amount", 500),
        ("rights/annual_amount_priority", 800),
        ("rights/cap", 5000),
        ("rights/cap_priority", 8000),
        ("rights/reference_hours", 1607),
        ("rights/half_reference_share", Decimal("0.5")),
        ("dossiers/respond_days", 2),
        ("dossiers/earliest_start_days", 11),
        ("dossiers/accept_days", 4),
        ("dossiers/declare_entry_days", 3),
        ("dossiers/declare_exit_days", 3),
        ("dossiers/pay_days", 30),
        ("dossiers/max_open_requests", 5),
        ("dossiers/free_cancellation_days", 7),
        ("dossiers/late_cancellation_share", Decimal("0.05")),
        ("dossiers/abandonment_minimum_share", Decimal("0.25")),
        ("dossiers/abandonment_full_share_above", Decimal("0.80")),
    ],
)
def test_values_of_design_section_2(name, expected):
    assert value(name, on=D(2026, 3, 1)) == expected


def test_counted_absences_exclude_sick_leave_and_partial_activity():
    counted = value("rights/absences_counted_as_work", on=D(2025, 1, 1))
    assert {"maternity", "paternity", "adoption", "parental_leave", "carer", "work_accident"} <= set(counted)
    assert "occupational_disease" in counted
    assert "sick_leave" not in counted and "partial_activity" not in counted


def test_unknown_parameter_is_a_clear_error():
    with pytest.raises(UnknownParameter, match="no file rights/nope.yaml"):
        value("rights/nope", on=D(2025, 1, 1))


def test_a_datetime_is_not_a_date():
    with pytest.raises(TypeError):
        value("rights/cap", on=datetime.datetime(2025, 1, 1, 12, 0))


REF = "    reference:\n      - title: Code du travail, art. X\n        href: https://www.legifrance.gouv.fr/x\n"


def test_null_ends_a_rule():
    item = parse_parameter(
        "test/ended",
        f"description: d\nvalues:\n  2020-01-01:\n    value: 10\n{REF}  2022-01-01:\n    value: null\n{REF}",
    )
    assert item.value(D(2021, 6, 1)) == 10
    with pytest.raises(ParameterNotInForce, match="ended on 2022-01-01"):
        item.value(D(2022, 1, 1))


def test_a_value_without_reference_is_refused():
    with pytest.raises(InvalidParameterFile, match="needs a `reference`"):
        parse_parameter("test/bad", "description: d\nvalues:\n  2020-01-01:\n    value: 10\n")


def test_a_reference_without_link_is_refused():
    with pytest.raises(InvalidParameterFile, match="href"):
        parse_parameter(
            "test/bad", "description: d\nvalues:\n  2020-01-01:\n    value: 10\n    reference:\n      - title: X\n"
        )


def test_dates_out_of_order_are_refused():
    with pytest.raises(InvalidParameterFile, match="out of order"):
        parse_parameter(
            "test/bad",
            f"description: d\nvalues:\n  2022-01-01:\n    value: 2\n{REF}  2020-01-01:\n    value: 1\n{REF}",
        )


def test_duplicate_dates_are_refused():
    with pytest.raises(InvalidParameterFile, match="duplicate"):
        parse_parameter(
            "test/bad",
            f"description: d\nvalues:\n  2020-01-01:\n    value: 2\n{REF}  2020-01-01:\n    value: 1\n{REF}",
        )


def test_a_bad_file_in_a_tree_is_reported_with_its_name(tmp_path):
    (tmp_path / "rights").mkdir()
    (tmp_path / "rights" / "broken.yaml").write_text("description: d\nvalues:\n  2020-01-01:\n    value: 1\n")
    with pytest.raises(InvalidParameterFile, match="rights/broken"):
        load_parameters(tmp_path)


def test_decimals_are_never_floats():
    for item in all_parameters().values():
        for period in item.periods:
            assert not isinstance(period.value, float), item.name


def test_the_loader_does_not_import_django():
    code = (
        "import sys, opencpf.parameters, opencpf.rights.rules; print(any(m.startswith('django') for m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "False"
