"""The open-data file as published: the older layout (`siret`, `code_inventaire`) and the current one (`siret_of`,
`code_rs`, `date_chargement`, the offer's texts, UTF-8 with a BOM), built here from the published column lists.
What an import leaves out of search is said, and an agent's approval brings it in."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.importer import import_catalogue
from opencpf.catalogue.models import Offer, Organisation
from opencpf.catalogue.search import parse_search_params, search_offers
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db

# The published column lists (data.gouv.fr, "moncompteformation_catalogueformation").
OLDER = [
    "date_extract",
    "nom_of",
    "nom_departement",
    "nom_region",
    "type_referentiel",
    "code_inventaire",
    "code_rncp",
    "intitule_certification",
    "libelle_niveau_sortie_formation",
    "code_formacode_1",
    "libelle_code_formacode_principal",
    "libelle_nsf_1",
    "code_nsf_1",
    "code_certifinfo",
    "siret",
    "numero_formation",
    "intitule_formation",
    "points_forts",
    "nb_action",
    "nb_session_active",
    "nb_session_a_distance",
    "nombre_heures_total_min",
    "nombre_heures_total_max",
    "nombre_heures_total_mean",
    "frais_ttc_tot_min",
    "frais_ttc_tot_max",
    "frais_ttc_tot_mean",
    "code_departement",
    "code_region",
    "nbaction_nbheures",
    "coderegion_export",
]
CURRENT = [
    "date_chargement", "nom_of", "siret_of", "numero_formation", "intitule_formation", "points_forts",
    "objectif_formation", "resultats_attendus_formation", "contenu_formation", "nom_departement", "nom_region",
    "type_referentiel", "code_rs", "code_rncp", "intitule_certification", "libelle_niveau_sortie_formation",
    "code_formacode_1", "libelle_code_formacode_principal", "libelle_nsf_1", "code_nsf_1", "code_certifinfo",
    "nb_action", "nb_session_active", "nb_session_a_distance", "nombre_heures_total_min",
    "nombre_heures_total_max", "nombre_heures_total_mean", "frais_ttc_tot_min", "frais_ttc_tot_max",
    "frais_ttc_tot_mean", "code_departement", "code_region",
]  # fmt: skip
SIRET_A, SIRET_B = "73282932000074", "35600000000048"

RNCP = {
    "nom_of": "Institut des Langues",
    "numero_formation": "F-001",
    "intitule_formation": "Anglais professionnel",
    "points_forts": "Petits groupes",
    "code_rncp": "37274",
    "intitule_certification": "Anglais professionnel",
    "libelle_niveau_sortie_formation": "Niveau 5",
    "nombre_heures_total_mean": "35",
    "frais_ttc_tot_mean": "1200,50",
    "nb_session_active": "2",
    "nb_session_a_distance": "0",
}
RS = {
    "nom_of": "Centre Pro",
    "numero_formation": "F-002",
    "intitule_formation": "Tableur Excel certifiant",
    "rs": "5464",
    "intitule_certification": "Tableur",
    "nombre_heures_total_mean": "21",
    "frais_ttc_tot_mean": "900",
    "nb_session_active": "3",
    "nb_session_a_distance": "3",
}


def build(tmp_path, columns, rows, *, bom=False, name="catalogue.csv"):
    """A semicolon CSV with exactly the published columns; each row gives some of them."""
    lines = [";".join(columns)] + [";".join(row.get(column, "") for column in columns) for row in rows]
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def older_rows():
    return [
        {**RNCP, "siret": SIRET_A, "date_extract": "2024-01-01"},
        {**{k: v for k, v in RS.items() if k != "rs"}, "code_inventaire": RS["rs"], "siret": SIRET_B},
    ]


def current_rows():
    return [
        {
            **RNCP,
            "siret_of": SIRET_A,
            "date_chargement": "2026-11-02",
            "objectif_formation": "Tenir une réunion en anglais",
            "contenu_formation": "Module 1 : présentations",
            "resultats_attendus_formation": "Niveau B2",
        },
        {**{k: v for k, v in RS.items() if k != "rs"}, "code_rs": RS["rs"], "siret_of": SIRET_B},
    ]


def test_older_layout_imports_both_certifications(tmp_path):
    report = import_catalogue(build(tmp_path, OLDER, older_rows()))
    assert report.layout == "older" and not report.errors and report.offers_created == 2
    assert Offer.objects.get(external_number="F-001").certification.code == "RNCP37274"
    assert Offer.objects.get(external_number="F-002").certification.code == "RS5464"


def test_current_layout_with_a_bom_imports_the_siret_the_rs_code_and_the_texts(tmp_path):
    report = import_catalogue(build(tmp_path, CURRENT, current_rows(), bom=True))
    assert report.layout == "current" and not report.errors and report.offers_created == 2
    english = Offer.objects.get(external_number="F-001")
    assert english.organisation.siret == SIRET_A
    assert english.objectives == "Tenir une réunion en anglais"
    assert english.programme == "Module 1 : présentations"
    assert english.expected_results == "Niveau B2"
    assert Offer.objects.get(external_number="F-002").certification.code == "RS5464"
    assert Offer.objects.get(external_number="F-002").organisation.siret == SIRET_B


def test_both_layouts_describe_the_same_offers_identically(tmp_path):
    import_catalogue(build(tmp_path, OLDER, older_rows(), name="older.csv"))
    fields = ("external_number", "title", "price", "hours", "modality", "certification__code", "organisation__siret")
    older = sorted(Offer.objects.values_list(*fields))
    report = import_catalogue(build(tmp_path, CURRENT, current_rows(), bom=True, name="current.csv"))
    assert (report.offers_created, report.offers_updated, report.organisations_created) == (0, 2, 0)
    assert sorted(Offer.objects.values_list(*fields)) == older


def test_a_bad_siret_is_reported_under_the_column_the_file_names_it(tmp_path):
    rows = current_rows()
    rows[0]["siret_of"] = "73282932000075"  # bad check digit
    report = import_catalogue(build(tmp_path, CURRENT, rows, bom=True))
    assert [(line, column) for line, column, _message in report.errors] == [(2, "siret")]
    assert report.offers_created == 1


def test_a_file_without_siret_names_both_columns(tmp_path):
    path = build(tmp_path, [c for c in CURRENT if c != "siret_of"], current_rows())
    out, err = StringIO(), StringIO()
    with pytest.raises(Exception, match=r"missing columns: siret \(or siret_of\)"):
        call_command("import_catalogue", str(path), stdout=out, stderr=err)


def test_the_report_says_which_organisations_stay_out_of_search_and_why(tmp_path, english):
    out = StringIO()
    call_command("import_catalogue", str(build(tmp_path, CURRENT, current_rows(), bom=True)), "--wet-run", stdout=out)
    text = out.getvalue()
    assert "Layout: current" in text
    assert "Pending: 2 offers of 2 organisations stay out of search" in text
    for siret in (SIRET_A, SIRET_B):
        organisation = Organisation.objects.get(siret=siret)
        assert (
            f"{siret} {organisation.name}: 1 offers, status pending — /gestion/organismes/{organisation.pk}/" in text
        )
    assert search_offers(parse_search_params({"q": "anglais"})).count == 0


def test_approved_organisations_with_a_valid_qualiopi_are_not_reported_pending(tmp_path):
    out = StringIO()
    call_command(
        "import_catalogue",
        str(build(tmp_path, OLDER, older_rows())),
        "--status=approved",
        "--qualiopi-expires=2099-12-31",
        "--wet-run",
        stdout=out,
    )
    assert "Pending" not in out.getvalue()
    assert search_offers(parse_search_params({"q": "anglais"})).count == 1


def test_an_agent_approves_an_imported_organisation_and_its_offers_join_search(
    client, tmp_path, english, django_capture_on_commit_callbacks
):
    import_catalogue(build(tmp_path, CURRENT, current_rows(), bom=True))
    organisation = Organisation.objects.get(siret=SIRET_A)
    agent_user = make_agent()
    agent_sign_in(client, agent_user)
    listing = client.get("/gestion/organismes/")
    assert organisation.name in listing.content.decode() and "Pending approval (2)" in listing.content.decode()
    page = client.get(f"/gestion/organismes/{organisation.pk}/")
    assert b"Approve" in page.content

    url = f"/gestion/organismes/{organisation.pk}/approuver/"
    past = client.post(url, {"qualiopi_certificate": "Q-1", "qualiopi_expires_on": "2020-01-01"}, follow=True)
    assert "must be valid after today" in past.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING and organisation.qualiopi_certificate == ""

    expires = timezone.localdate() + datetime.timedelta(days=300)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"qualiopi_certificate": "Q-2026-0042", "qualiopi_expires_on": expires.isoformat()}
        )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    assert (organisation.qualiopi_certificate, organisation.qualiopi_expires_on) == ("Q-2026-0042", expires)
    event = AuditEvent.objects.get(action="organisation_status_changed", target=f"organisation:{organisation.pk}")
    assert event.actor_id == agent_user.pk
    assert event.details["status"] == OrganisationStatus.APPROVED and "Q-2026-0042" in event.details["reason"]
    assert search_offers(parse_search_params({"q": "anglais"})).count == 1

    again = client.post(url, {"qualiopi_certificate": "Q-3", "qualiopi_expires_on": expires.isoformat()}, follow=True)
    assert "Only an organisation pending approval can be approved." in again.content.decode()


def test_only_agents_approve(client, tmp_path):
    import_catalogue(build(tmp_path, OLDER, older_rows()))
    organisation = Organisation.objects.get(siret=SIRET_A)
    url = f"/gestion/organismes/{organisation.pk}/approuver/"
    data = {"qualiopi_certificate": "Q-1", "qualiopi_expires_on": "2099-01-01"}
    assert client.post(url, data).status_code == 302  # to the sign-in page
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING
