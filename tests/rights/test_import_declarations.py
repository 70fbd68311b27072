"""`manage.py import_declarations FILE`: every line checked first, clear per-line errors, no partial write."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from opencpf.accounts.nir import nir_key
from opencpf.rights.models import EmploymentDeclaration, SelfEmployedDeclaration
from tests.accounts.factories import HolderFactory
from tests.rights.factories import make_siret

D = Decimal
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HEADER = "nir,siret,year,hours_worked,reference_hours,maternity,sick_leave\n"


def write(tmp_path, text, name="declarations.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, **options):
    out, err = StringIO(), StringIO()
    options.setdefault("wet_run", True)
    try:
        call_command("import_declarations", str(path), stdout=out, stderr=err, **options)
    except CommandError as error:
        return None, out.getvalue(), err.getvalue() + str(error)
    return True, out.getvalue(), err.getvalue()


def test_valid_employment_file_is_written(tmp_path):
    alice, bob = HolderFactory(), HolderFactory()
    siret = make_siret(1)
    path = write(
        tmp_path,
        HEADER
        + f"{alice.nir},{siret},2025,800,1607,,\n"
        + f'{alice.nir},{make_siret(2)},2025,"120,5",,10,5\n'
        + f"{bob.nir},{siret},2025,1607,1600,0,0\n",
    )
    ok, out, _err = run(path)
    assert ok, _err
    assert "3 employment declaration(s) written" in out
    second = EmploymentDeclaration.objects.get(holder=alice, employer_siret=make_siret(2))
    assert (second.hours_worked, second.reference_hours) == (D("120.5"), D("1607"))  # default reference
    assert (second.maternity_hours, second.sick_leave_hours) == (D("10"), D("5"))


def test_dry_by_default_checks_and_writes_nothing(tmp_path):
    holder = HolderFactory()
    path = write(tmp_path, HEADER + f"{holder.nir},{make_siret(1)},2025,800,1607,,\n")
    ok, out, _err = run(path, wet_run=False)
    assert ok, _err
    assert "1 employment declaration(s) would be written" in out
    assert not EmploymentDeclaration.objects.exists()


def test_semicolons_and_french_decimals(tmp_path):
    holder = HolderFactory()
    path = write(
        tmp_path, f"nir;siret;year;hours_worked;reference_hours\n{holder.nir};{make_siret(3)};2025;803,5;1607\n"
    )
    assert run(path)[0]
    assert EmploymentDeclaration.objects.get().hours_worked == D("803.5")


def test_every_bad_line_is_reported_and_nothing_is_written(tmp_path):
    holder = HolderFactory()
    unknown = "1900375056999" + nir_key("1900375056999")  # valid, but nobody has it
    next_year = timezone.localdate().year + 1
    siret = make_siret(4)
    lines = [
        f"{holder.nir},{siret},2025,800,1607,,",  # 2 valid
        f"{unknown},{siret},2025,800,1607,,",  # 3 unknown NIR
        f"{holder.nir},{siret},{next_year},800,1607,,",  # 4 future year
        f"{holder.nir},{make_siret(5)},2025,-3,1607,,",  # 5 negative hours
        f"{holder.nir},{make_siret(6)},2025,9000,1607,,",  # 6 absurd hours
        f"{holder.nir},{siret},2025,100,1607,,",  # 7 duplicate of line 2
        f"{holder.nir},{siret},2025,800",  # 8 malformed
        f"{holder.nir},12345678901234,2025,800,1607,,",  # 9 bad SIRET
        f"123,{make_siret(7)},2025,800,1607,,",  # 10 bad NIR
        f"{holder.nir},{make_siret(8)},2025,abc,1607,,",  # 11 not a number
        f"{holder.nir},{make_siret(9)},2018,800,1607,,",  # 12 before euros
        f"{holder.nir},{make_siret(10)},2025,800,0,,",  # 13 reference 0
    ]
    path = write(tmp_path, HEADER + "\n".join(lines) + "\n")
    ok, _out, err = run(path)
    assert ok is None
    assert "11 invalid line(s) out of 12: nothing written" in err
    expected = {
        3: "Unknown NIR",
        4: "in the future",
        5: "negative",
        6: "Absurd hours",
        7: "Duplicate of line 2",
        8: "Malformed line",
        9: "Invalid employer SIRET",
        10: "Invalid NIR",
        11: "not a number",
        12: "2019",
        13: "reference_hours",
    }
    for line, reason in expected.items():
        assert any(row.startswith(f"declarations.csv:{line}:") and reason in row for row in err.splitlines()), (
            line,
            reason,
            err,
        )
    assert not EmploymentDeclaration.objects.exists()


def test_skip_invalid_writes_the_good_lines_and_lists_the_others(tmp_path):
    holder = HolderFactory()
    path = write(
        tmp_path,
        HEADER + f"{holder.nir},{make_siret(11)},2025,800,1607,,\n{holder.nir},{make_siret(12)},2025,-1,1607,,\n",
    )
    ok, out, err = run(path, skip_invalid=True)
    assert ok
    assert "1 employment declaration(s) written" in out and "1 invalid line(s) skipped" in out
    assert "declarations.csv:3:" in err
    assert EmploymentDeclaration.objects.count() == 1


def test_a_declaration_already_imported_is_a_duplicate(tmp_path):
    holder = HolderFactory()
    path = write(tmp_path, HEADER + f"{holder.nir},{make_siret(13)},2025,800,1607,,\n")
    assert run(path)[0]
    ok, _out, err = run(path)
    assert ok is None and "Already imported" in err
    assert EmploymentDeclaration.objects.count() == 1


def test_self_employed_file(tmp_path):
    alice, bob, carol = HolderFactory(self_employed=True), HolderFactory(), HolderFactory()
    path = write(
        tmp_path,
        f"nir,year,months,contribution_paid\n{alice.nir},2025,7,true\n{bob.nir},2025,12,non\n{carol.nir},2025,13,yes\n"
        f"{carol.nir},2025,5,maybe\n",
    )
    ok, _out, err = run(path)
    assert ok is None
    assert "declarations.csv:4:" in err and "between 1 and 12" in err
    assert "declarations.csv:5:" in err and "true or false" in err
    ok, out, _err = run(path, skip_invalid=True)
    assert ok and "2 self_employed declaration(s) written" in out
    assert SelfEmployedDeclaration.objects.get(holder=alice).months == 7
    assert SelfEmployedDeclaration.objects.get(holder=bob).contribution_paid is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("a,b,c\n1,2,3\n", "Unknown format"),
        ("nir,siret,year,hours_worked\n", "missing columns: reference_hours"),
        ("nir,siret,year,hours_worked,reference_hours,holidays\n", "unknown columns: holidays"),
    ],
)
def test_malformed_files(tmp_path, text, message):
    ok, _out, err = run(write(tmp_path, text))
    assert ok is None and message in err


def test_missing_file(tmp_path):
    ok, _out, err = run(tmp_path / "nope.csv")
    assert ok is None and "no such file" in err


def test_a_year_is_in_the_future_only_after_this_year(tmp_path):
    holder = HolderFactory()
    this_year = datetime.date.today().year
    path = write(tmp_path, HEADER + f"{holder.nir},{make_siret(14)},{this_year},100,1607,,\n")
    assert run(path)[0]


@pytest.mark.parametrize("year", ["0", "-5", "-17592186044416"])
def test_a_year_no_calendar_holds_is_a_line_error_and_nothing_is_written(tmp_path, year):
    holder = HolderFactory()
    path = write(tmp_path, HEADER + f"{holder.nir},{make_siret(14)},{year},100,1607,,\n")
    ok, _out, err = run(path)
    assert ok is None and f"year {year} is before rights were counted in euros (2019)" in err
    assert not EmploymentDeclaration.objects.exists()
