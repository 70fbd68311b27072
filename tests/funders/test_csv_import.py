"""Bulk CSV of supplementary credits: a report per line, all or nothing unless --skip-invalid, dry unless
--wet-run; spreadsheets' encodings and separators; duplicate lines refused."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from opencpf.funders import services
from opencpf.funders.models import FunderCredit
from opencpf.rights.models import TopUp
from tests.accounts.factories import HolderFactory
from tests.catalogue.factories import CertificationFactory
from tests.funders.factories import FunderOrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HEADER = "nir;last_name;amount;earmark_certifications;earmark_offers;expires_on;return_unused"


def run(organisation, text, *, encoding="utf-8", **options):
    raw = text.encode(encoding) if isinstance(text, str) else text
    return services.credits_import(organisation=organisation, user=None, raw=raw, filename="f.csv", **options)


@pytest.fixture
def people():
    return HolderFactory(last_name="Lefèvre"), HolderFactory(last_name="Garçon")


def test_a_latin1_spreadsheet_with_commas_and_french_dates_is_read(people):
    first, second = people
    certification = CertificationFactory()
    expires = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
    text = (
        HEADER.replace(";", ",")
        + f'\n{first.nir},LEFÈVRE,"250,50",{certification.code},,{expires},oui\n{second.nir},Garçon,100,,,,\n'
    )
    report = run(FunderOrganisationFactory(), text, encoding="latin-1", wet_run=True)
    assert report.encoding == "windows-1252"
    assert [line.errors for line in report.lines] == [[], []]
    assert report.written and FunderCredit.objects.count() == 2
    top_up = TopUp.objects.get(holder=first)
    assert (str(top_up.amount), top_up.earmark_certifications, top_up.return_unused) == (
        "250.50",
        [certification.code],
        True,
    )


def test_a_utf8_bom_and_semicolons(people):
    first, _second = people
    report = run(FunderOrganisationFactory(), f"\ufeff{HEADER}\n{first.nir};Lefèvre;80;;;;non\n", wet_run=True)
    assert report.written and TopUp.objects.get().amount == 80


def test_one_bad_line_and_nothing_is_written_then_skip_invalid_writes_the_others(people):
    first, second = people
    text = (
        f"{HEADER}\n{first.nir};Lefèvre;100;;;;\n{second.nir};Dupont;100;;;;\n"  # line 3: name mismatch
        f"{first.nir};Lefèvre;100;;;;\n"  # line 4: duplicate of line 2
        f"{second.nir};Garçon;-5;;;;\n{second.nir};Garçon;12.345;RNCP99999;;;peut-être\n"
    )
    organisation = FunderOrganisationFactory()
    report = run(organisation, text, wet_run=True)
    assert not report.written and not TopUp.objects.exists()
    errors = {line.line: " ".join(line.errors) for line in report.invalid}
    assert set(errors) == {3, 4, 5, 6}
    assert "No account holder matches" in errors[3]
    assert "duplicate" in errors[4]
    assert "more than 0" in errors[5]
    assert "return_unused" in errors[6]
    report = run(organisation, text, wet_run=True, skip_invalid=True)
    assert report.written and [line.line for line in report.valid] == [2]
    assert TopUp.objects.get().holder == first


def test_dry_by_default(people):
    first, _second = people
    report = run(FunderOrganisationFactory(), f"{HEADER}\n{first.nir};Lefèvre;100;;;;\n")
    assert report.valid and not report.written and not TopUp.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00\x01binary", b"name;amount\nx;1\n", (HEADER + "\n").encode()],
    ids=["empty", "binary", "wrong header", "no line"],
)
def test_unreadable_files_are_refused_as_a_whole(raw):
    report = run(FunderOrganisationFactory(), raw, wet_run=True)
    assert report.file_errors and not report.lines and not TopUp.objects.exists()


def test_management_command_dry_then_wet_then_all_or_nothing(people, tmp_path):
    first, second = people
    organisation = FunderOrganisationFactory()
    path = tmp_path / "credits.csv"
    path.write_text(f"{HEADER}\n{first.nir};Lefèvre;100;;;;\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_funder_credits", str(path), "--funder", str(organisation.pk), stdout=out)
    assert "Dry run" in out.getvalue() and not TopUp.objects.exists()
    call_command("import_funder_credits", str(path), "--funder", str(organisation.pk), "--wet-run", stdout=out)
    assert TopUp.objects.count() == 1
    path.write_text(f"{HEADER}\n{second.nir};Garçon;100;;;;\n{second.nir};Garçon;0;;;;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing written"):
        call_command("import_funder_credits", str(path), "--funder", str(organisation.pk), "--wet-run", stdout=out)
    assert TopUp.objects.count() == 1
    call_command(
        "import_funder_credits", str(path), "--funder", str(organisation.pk), "--wet-run", "--skip-invalid", stdout=out
    )
    assert TopUp.objects.count() == 2


def test_the_same_credit_spelt_differently_is_a_duplicate(people):
    first, _second = people
    spaced = " ".join(first.nir[i : i + 3] for i in range(0, 15, 3))
    expires = timezone.localdate() + datetime.timedelta(days=60)
    text = (
        f"{HEADER}\n"
        f"{first.nir};Lefèvre;100;;;{expires.isoformat()};oui\n"
        f"{spaced};LEFEVRE;100,00;;;{expires.strftime('%d/%m/%Y')};yes\n"  # the same credit
        f"{first.nir};Lefèvre;100;;;{expires.isoformat()};non\n"  # not the same: it stays on the account
        f"{first.nir};Lefèvre;sNaN;;;;\n"
    )
    report = run(FunderOrganisationFactory(), text, wet_run=True, skip_invalid=True)
    errors = {line.line: " ".join(line.errors) for line in report.invalid}
    assert "Same line as line 2: a duplicate." in errors[3]
    assert set(errors) == {3, 5} and "amount in euros" in errors[5]
    assert report.written and TopUp.objects.count() == 2


@pytest.mark.parametrize(
    ("encoding", "separator", "bom", "newline"),
    [
        ("utf-8", ",", True, "\r\n"),
        ("latin-1", ";", False, "\r\n"),
        ("cp1252", ";", False, "\n"),
        ("utf-8", ";", True, "\n"),
    ],
    ids=["utf8-bom-comma-crlf", "latin1-semicolon-crlf", "cp1252-semicolon", "utf8-bom-semicolon"],
)
def test_spreadsheet_exports_of_every_kind_are_read_alike(people, encoding, separator, bom, newline):
    first, second = people
    lines = [
        HEADER.replace(";", separator),
        separator.join([first.nir, "Lefèvre", '"1 250,50"' if separator == "," else "1 250,50", "", "", "", ""]),
        separator.join([second.nir, "GARÇON", "99.99", "", "", "", "non"]),
    ]
    raw = newline.join(lines).encode(encoding) + newline.encode()
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    report = run(FunderOrganisationFactory(), raw, wet_run=True)
    assert [line.errors for line in report.lines] == [[], []], report.lines
    assert report.written
    assert {(top_up.holder_id, str(top_up.amount)) for top_up in TopUp.objects.all()} == {
        (first.pk, "1250.50"),
        (second.pk, "99.99"),
    }


def test_the_command_reports_every_line_and_skip_invalid_writes_only_the_good_ones(people, tmp_path):
    first, second = people
    organisation = FunderOrganisationFactory()
    path = tmp_path / "credits.csv"
    path.write_bytes(
        (
            f"{HEADER}\n{first.nir};Lefèvre;100;;;;\n{second.nir};Garçon;0;;;;\n"
            f"{second.nir};Martin;50;;;;\n{first.nir};Lefèvre;20;RNCP99999;;;\n;;;;;;\n{first.nir};Lefèvre;1;;;;;extra\n"
        ).encode("latin-1")
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing written"):
        call_command("import_funder_credits", str(path), "--funder", str(organisation.pk), "--wet-run", stdout=out)
    assert not TopUp.objects.exists()
    out = io.StringIO()
    call_command(
        "import_funder_credits", str(path), "--funder", str(organisation.pk), "--wet-run", "--skip-invalid", stdout=out
    )
    report = out.getvalue()
    assert "line 2: " in report and " 100.00 ok" in report
    assert "line 3: " in report and "more than 0" in report
    assert "line 4: " in report and "No account holder matches" in report
    assert "line 5: " in report and "Unknown certification: RNCP99999." in report
    assert "line 7: " in report and "more columns than the header" in report
    assert first.nir not in report  # the report masks the NIR
    assert "Written: 1 valid line(s), 4 refused, 100.00 €." in report
    assert list(TopUp.objects.values_list("holder_id", "amount")) == [(first.pk, 100)]
