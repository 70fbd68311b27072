"""The organisation's catalogue as CSV in the open-data columns: exported, edited and imported back line by line
through the offer services (roles, rules), with a report per line."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.importer import import_catalogue
from opencpf.catalogue.models import Offer
from opencpf.catalogue.services import catalogue_csv, offers
from opencpf.catalogue.services.staff import member_add
from tests.accounts.factories import UserFactory
from tests.catalogue.factories import CertificationFactory
from tests.dossiers.factories import organisation_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    organisation, manager = organisation_with_staff()
    CertificationFactory(code="RNCP37274", title="Anglais")
    CertificationFactory(code="RS5464", kind="rs", title="TOEIC", level=None)
    offer = offers.offer_create(
        actor=manager, organisation=organisation, certification_code="RNCP37274", title="Anglais",
        price="1200.00", hours="35", external_number="F-1", objectives="Parler", modality="remote",
    )  # fmt: skip
    return organisation, manager, offer


def test_export_then_import_round_trips_and_reports_each_line(space, tmp_path):
    organisation, manager, offer = space
    text = catalogue_csv.catalogue_export_csv(actor=manager, organisation=organisation)
    assert text.startswith("\ufeff") and "F-1;Anglais" in text
    # The export is a file the open-data importer reads too (current layout).
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    assert import_catalogue(path, dry_run=True).errors == []

    header, line = text.lstrip("\ufeff").splitlines()
    edited = line.replace("1200.00", "990.00")
    new = edited.replace("F-1;Anglais", "F-2;TOEIC").replace(";37274;;", ";;5464;")
    bad_price = edited.replace("F-1", "F-3").replace("990.00", "gratuit")
    other_siret = edited.replace(organisation.siret, "73282932000074").replace("F-1", "F-4")
    unknown_cert = edited.replace("F-1", "F-5").replace(";37274;", ";99999;")
    raw = "\r\n".join([header, edited, new, bad_price, other_siret, unknown_cert]).encode()
    report = catalogue_csv.catalogue_import_csv(actor=manager, organisation=organisation, raw=raw)
    assert report.lines == 5 and report.updated == [offer.pk] and len(report.created) == 1
    assert {(line, column) for line, column, _message in report.errors} == {
        (4, "frais_ttc_tot_mean"),
        (5, "siret"),
        (6, "certification"),
    }
    assert Offer.objects.get(pk=offer.pk).price == 990
    created = Offer.objects.get(pk=report.created[0])
    assert created.certification.code == "RS5464" and created.is_active is False
    assert Offer.objects.count() == 2


def test_import_needs_the_catalogue_manager(space):
    organisation, manager, _offer = space
    reader = UserFactory(organisation_staff=True)
    member_add(organisation=organisation, user=reader, roles=[OrganisationRole.READER])
    catalogue_csv.catalogue_export_csv(actor=reader, organisation=organisation)  # a reader may export
    with pytest.raises(PermissionDenied):
        catalogue_csv.catalogue_import_csv(actor=reader, organisation=organisation, raw=b"nom_of;siret\n")


def test_a_file_without_the_columns_is_reported(space):
    organisation, manager, _offer = space
    report = catalogue_csv.catalogue_import_csv(actor=manager, organisation=organisation, raw=b"a;b\n1;2\n")
    assert report.errors and "missing columns" in report.errors[0][2]


def test_web_page_lists_publishes_exports_and_imports(client, space, english):
    organisation, manager, offer = space
    client.force_login(manager)
    page = client.get("/organisme/catalogue/")
    assert page.status_code == 200 and b"Anglais" in page.content and b"Publish" in page.content
    assert client.post(f"/organisme/catalogue/offres/{offer.pk}/publier/").status_code == 302
    assert Offer.objects.get(pk=offer.pk).is_active
    export = client.get("/organisme/catalogue/export.csv")
    assert export.status_code == 200 and b"F-1" in export.content
    upload = SimpleUploadedFile("c.csv", export.content.replace(b"1200.00", b"1000.00"), content_type="text/csv")
    report = client.post("/organisme/catalogue/import/", {"file": upload})
    assert report.status_code == 200 and b"1 lines read: 0 offers created, 1 updated." in report.content
    assert Offer.objects.get(pk=offer.pk).price == 1000


def test_web_forms_create_an_offer_and_its_session(client, space, english):
    organisation, manager, _offer = space
    client.force_login(manager)
    bad = client.post(
        "/organisme/catalogue/nouvelle-offre/",
        {"certification_code": "RNCP1", "title": "Espagnol", "price": "0", "hours": "20", "modality": "remote"},
    )
    assert bad.status_code == 400 and Offer.objects.count() == 1
    response = client.post(
        "/organisme/catalogue/nouvelle-offre/",
        {"certification_code": "RS5464", "title": "Espagnol", "price": "850.00", "hours": "20", "modality": "remote"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get(title="Espagnol")
    assert offer.is_active is False and offer.price == 850
    session_url = f"/organisme/catalogue/offres/{offer.pk}/nouvelle-session/"
    past = client.post(session_url, {"start_date": "2020-01-01", "end_date": "2020-01-05", "is_remote": "on"})
    assert past.status_code == 400 and b"cannot start in the past" in past.content
    assert (
        client.post(session_url, {"start_date": "2099-01-05", "end_date": "2099-01-09", "is_remote": "on"}).status_code
        == 302
    )
    assert offer.sessions.count() == 1
