from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationStatus
from opencpf.catalogue.importer import import_catalogue
from opencpf.catalogue.models import Certification, Offer, Organisation
from opencpf.catalogue.search import parse_search_params, search_offers

pytestmark = pytest.mark.django_db

HEADER = (
    "date_extract;nom_of;siret;numero_formation;intitule_formation;points_forts;code_rncp;code_inventaire;"
    "intitule_certification;libelle_niveau_sortie_formation;nombre_heures_total_min;nombre_heures_total_max;"
    "nombre_heures_total_mean;frais_ttc_tot_min;frais_ttc_tot_max;frais_ttc_tot_mean;code_departement;"
    "nb_session_active;nb_session_a_distance"
)
LINES = [
    # 2: good, RNCP, on site
    "2024-01-01;Institut des Langues;73282932000074;F-001;Anglais professionnel;Cours en petits groupes;37274;;"
    "Anglais professionnel;Niveau 5 (BTS, DUT);35;35;35;1200;1200;1200,50;75;2;0",
    # 3: good, RS, remote
    "2024-01-01;Institut des Langues;73282932000074;F-002;TOEIC à distance;;;5464;Test TOEIC;;;;20;;;800;75;3;3",
    # 4: bad SIRET checksum
    "2024-01-01;Faux organisme;73282932000075;F-003;Excel;;37000;;Excel;;;;14;;;500;69;1;0",
    # 5: no certification
    "2024-01-01;Centre Pro;35600000000048;F-004;Yoga du rire;;;;;;;;10;;;300;69;1;0",
    # 6: no hours, price not a number
    "2024-01-01;Centre Pro;35600000000048;F-005;Permis B;;;;;;;;;;;gratuit;69;1;0",
    # 7: good, driving licence from the title, mixed
    "2024-01-01;Centre Pro;35600000000048;F-006;Permis B accéléré;;;;;;;;30;;;1 450,00;69;4;1",
    # 8: missing title and training number
    "2024-01-01;Centre Pro;35600000000048;;;;37274;;;;;;10;;;300;69;1;0",
    # 9: good, bilan de compétences
    "2024-01-01;Centre Pro;35600000000048;F-007;Bilan de compétences;;;;;;;;24;;;1800;69;1;1",
]


def write(tmp_path, lines, name="catalogue.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding=encoding)
    return path


def test_import_creates_and_reports_bad_lines_with_their_number(tmp_path):
    report = import_catalogue(write(tmp_path, LINES))
    assert report.lines == 8
    assert report.organisations_created == 2 and report.offers_created == 4
    bad = {(line, column) for line, column, _message in report.errors}
    assert bad == {
        (4, "siret"),
        (5, "code_rncp"),
        (6, "nombre_heures_total_mean"),
        (6, "frais_ttc_tot_mean"),
        (8, "numero_formation"),
        (8, "intitule_formation"),
    }
    english = Offer.objects.get(external_number="F-001")
    assert (english.price, english.hours, english.modality) == (Decimal("1200.50"), Decimal("35.0"), Modality.ON_SITE)
    assert english.certification.code == "RNCP37274" and english.certification.level == 5
    assert english.summary == "Cours en petits groupes"
    assert Offer.objects.get(external_number="F-002").modality == Modality.REMOTE
    assert Offer.objects.get(external_number="F-002").certification.kind == CertificationKind.RS
    licence = Offer.objects.get(external_number="F-006")
    assert licence.certification.kind == CertificationKind.DRIVING_LICENCE and licence.modality == Modality.MIXED
    assert licence.price == Decimal("1450.00")
    assert Offer.objects.get(external_number="F-007").certification.kind == CertificationKind.SKILLS_ASSESSMENT
    assert Organisation.objects.get(siret="73282932000074").status == OrganisationStatus.PENDING


def test_import_again_updates_without_duplicates(tmp_path):
    import_catalogue(write(tmp_path, LINES))
    changed = [LINES[0].replace("Anglais professionnel;Cours", "Anglais des affaires;Cours").replace("1200,50", "990")]
    report = import_catalogue(write(tmp_path, changed, "again.csv"))
    assert (report.offers_created, report.offers_updated, report.organisations_created) == (0, 1, 0)
    offer = Offer.objects.get(external_number="F-001")
    assert offer.title == "Anglais des affaires" and offer.price == Decimal("990.00")
    assert Offer.objects.count() == 4 and Certification.objects.filter(code="RNCP37274").count() == 1


def test_import_reads_windows_encoded_files(tmp_path):
    report = import_catalogue(write(tmp_path, LINES[:1], encoding="cp1252"))
    assert report.offers_created == 1 and not report.errors


def test_command_reports_bad_lines_and_indexes_approved_organisations(tmp_path):
    out, err = StringIO(), StringIO()
    call_command(
        "import_catalogue",
        str(write(tmp_path, LINES)),
        "--status=approved",
        "--qualiopi-expires=2099-12-31",
        "--wet-run",
        stdout=out,
        stderr=err,
    )
    assert "catalogue.csv:4: siret:" in err.getvalue()
    assert "catalogue.csv:5: code_rncp:" in err.getvalue()
    assert "4 bad lines skipped" in out.getvalue()
    assert search_offers(parse_search_params({"q": "anglais"})).count == 1
    assert search_offers(parse_search_params({"q": "permis"})).count == 1


def test_command_is_dry_by_default(tmp_path):
    out = StringIO()
    call_command("import_catalogue", str(write(tmp_path, LINES)), "--status=approved", stdout=out, stderr=StringIO())
    assert "Offers: 4 created" in out.getvalue() and "Dry run: nothing written" in out.getvalue()
    assert not Offer.objects.exists() and not Organisation.objects.exists()
    assert search_offers(parse_search_params({"q": "anglais"})).count == 0


def test_command_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("import_catalogue", str(path))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_catalogue", str(tmp_path / "missing.csv"))
