"""`load_advisor_sites`: dry by default, all or nothing (or --skip-invalid), a report line by line, and tolerant of
what spreadsheets write: Latin-1, a BOM, `;` or `,`, dropped leading zeros, repeated lines."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencpf.advisors.importer import SiteFileError, load_advisor_sites
from opencpf.advisors.models import AdvisorSite

pytestmark = pytest.mark.django_db

HEADER = "code;name;networks;address;postal_code;city;phone;opening_hours;accessibility;status;remote_only"
PARIS = (
    "FT-1;Agence Roquette;france_travail;20 rue de la Roquette;75011;Paris;01 99 00 10 11;Lun-ven 9h-12h;Rampe;open;no"
)
LYON = "ML-2;Mission locale Gerland;mission_locale|cap_emploi;14 rue Crépet;69007;Lyon;04 65 71 00 07;Lun-ven;;;"


def csv_bytes(*lines: str, encoding: str = "utf-8", header: str = HEADER) -> bytes:
    return "\r\n".join((header, *lines)).encode(encoding)


def test_dry_by_default_then_written_with_wet_run():
    report = load_advisor_sites(csv_bytes(PARIS, LYON))
    assert [line.outcome for line in report.lines] == ["created", "created"] and not report.written
    assert not AdvisorSite.objects.exists()
    report = load_advisor_sites(csv_bytes(PARIS, LYON), wet_run=True)
    assert report.written and AdvisorSite.objects.count() == 2
    lyon = AdvisorSite.objects.get(code="ML-2")
    assert sorted(lyon.networks.values_list("network", flat=True)) == ["cap_emploi", "mission_locale"]
    assert lyon.city == "Lyon" and 45.7 < lyon.latitude < 45.8 and 4.8 < lyon.longitude < 4.9  # from places data
    assert lyon.status == "open" and not lyon.remote_only


def test_loading_again_updates_by_code():
    load_advisor_sites(csv_bytes(PARIS, LYON), wet_run=True)
    moved = PARIS.replace("75011", "75015").replace("open;no", "closed;no")
    report = load_advisor_sites(csv_bytes(moved, LYON), wet_run=True)
    assert [line.outcome for line in report.lines] == ["updated", "unchanged"]
    site = AdvisorSite.objects.get(code="FT-1")
    assert site.postal_code == "75015" and site.status == "closed"
    assert AdvisorSite.objects.count() == 2


def test_latin1_from_a_spreadsheet_with_commas():
    text = "\n".join(line.replace(";", ",") for line in (HEADER, PARIS, LYON))
    report = load_advisor_sites(text.encode("cp1252"), wet_run=True)
    assert (report.encoding, report.delimiter) == ("windows-1252", ",")
    assert AdvisorSite.objects.get(code="ML-2").address == "14 rue Crépet"


def test_utf8_with_bom_and_french_headers():
    header = "\ufeffIdentifiant;Nom;Réseaux;Adresse;Code postal;Ville;Téléphone;Horaires"
    report = load_advisor_sites(
        csv_bytes("AP-3;Apec Lyon;Apec;2 cours Charlemagne;69002;Lyon;04 65 71 00 02;9h-18h", header=header),
        wet_run=True,
    )
    assert report.encoding == "utf-8" and report.lines[0].outcome == "created"
    assert AdvisorSite.objects.get(code="AP-3").networks.get().network == "apec"


def test_a_dropped_leading_zero_is_put_back():
    line = "FT-4;Agence Bourg;france_travail;1 place;1000;Bourg-en-Bresse;04 65 71 00 01;9h-12h"
    load_advisor_sites(csv_bytes(line, header=HEADER.rsplit(";", 3)[0]), wet_run=True)
    assert AdvisorSite.objects.get(code="FT-4").postal_code == "01000"


def test_a_repeated_line_is_ignored_but_a_conflicting_one_is_an_error(english):
    report = load_advisor_sites(csv_bytes(PARIS, PARIS, LYON), wet_run=True)
    assert [line.outcome for line in report.lines] == ["created", "duplicate", "created"]
    assert "line 2" in report.lines[1].messages[0]
    conflicting = PARIS.replace("Agence Roquette", "Autre agence")
    report = load_advisor_sites(csv_bytes(PARIS, conflicting), wet_run=True)
    assert report.lines[1].outcome == "invalid" and "already on line 2" in report.lines[1].messages[0]


BAD_LINES = {
    "unknown network": PARIS.replace("france_travail", "pole_emploi"),
    "bad postal code": PARIS.replace("75011", "7501X"),
    "unknown postal code": PARIS.replace("75011", "99999"),
    "city not in postal code": PARIS.replace(";Paris;", ";Lyon;"),
    "empty name": PARIS.replace("Agence Roquette", ""),
    "bad status": PARIS.replace("open;no", "maybe;no"),
    "NUL byte": PARIS.replace("Roquette", "Roq\x00uette"),
    "too long": PARIS.replace("Agence Roquette", "A" * 201),
    "bad phone": PARIS.replace("01 99 00 10 11", "call us"),
    "too many values": PARIS + ";extra",
}


@pytest.mark.parametrize("bad", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_one_bad_line_and_nothing_is_written(bad, english):
    report = load_advisor_sites(csv_bytes(LYON, bad), wet_run=True)
    assert [line.outcome for line in report.lines] == ["not_written", "invalid"]
    assert report.lines[1].messages and not report.written
    assert not AdvisorSite.objects.exists()


def test_skip_invalid_writes_the_good_lines(english):
    report = load_advisor_sites(csv_bytes(LYON, BAD_LINES["unknown network"]), wet_run=True, skip_invalid=True)
    assert [line.outcome for line in report.lines] == ["created", "invalid"]
    assert "pole_emploi" in report.lines[1].messages[0]
    assert list(AdvisorSite.objects.values_list("code", flat=True)) == ["ML-2"]


def test_missing_columns_and_empty_files_are_refused(english):
    with pytest.raises(SiteFileError, match="phone, opening_hours"):
        load_advisor_sites(b"code;name;networks;address;postal_code;city\n")
    with pytest.raises(SiteFileError):
        load_advisor_sites(b"\xef\xbb\xbf  \n")


def test_the_command_reports_each_line_and_fails_without_writing(tmp_path, english):
    path = tmp_path / "sites.csv"
    path.write_bytes(csv_bytes(PARIS, BAD_LINES["bad postal code"].replace("FT-1", "FT-9")))
    out = StringIO()
    with pytest.raises(CommandError, match="nothing written"):
        call_command("load_advisor_sites", str(path), "--wet-run", stdout=out)
    assert "line 2: FT-1: valid, not written" in out.getvalue()
    assert "line 3: FT-9: INVALID" in out.getvalue() and "5 digits" in out.getvalue()
    assert not AdvisorSite.objects.exists()
    out = StringIO()
    call_command("load_advisor_sites", str(path), "--wet-run", "--skip-invalid", stdout=out)
    assert "line 2: FT-1: created" in out.getvalue() and "Written." in out.getvalue()
    assert AdvisorSite.objects.count() == 1
    path.write_bytes(csv_bytes(LYON))
    out = StringIO()
    call_command("load_advisor_sites", str(path), stdout=out)
    assert "line 2: ML-2: created" in out.getvalue() and "Dry run: nothing written" in out.getvalue()
    assert not AdvisorSite.objects.filter(code="ML-2").exists()
