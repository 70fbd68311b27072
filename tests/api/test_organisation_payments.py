"""Payments to the organisation: listed with filters, a cursor and totals per month (API and web), and a CSV
statement per payment, for the organisation's staff only."""

import pytest

from opencpf.dossiers import services
from opencpf.dossiers.deadlines import dossiers_lapse
from opencpf.dossiers.models import OrganisationPayment
from opencpf.dossiers.statements import STATEMENT_COLUMNS
from tests.api.test_dossiers_api import token
from tests.dossiers.factories import in_training, make_world, organisation_with_staff, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    world = make_world()
    dossier = in_training(world)
    services.dossier_declare_exit(
        dossier_id=dossier.pk, user=world.staff, completion_percent="100", now=paris("2026-03-20", 17)
    )
    assert dossiers_lapse(now=paris("2026-04-19"), dry_run=False).paid == 1
    return world, OrganisationPayment.objects.get(dossier=dossier)


def test_list_with_totals_filters_and_statement(client, paid):
    world, payment = paid
    headers = {"Authorization": f"Bearer {token(world.staff)}"}
    body = client.get("/api/v1/organisation/payments", headers=headers).json()
    assert body["count"] == 1 and body["results"][0]["amount"] == f"{payment.amount:.2f}"
    assert body["totals"] == [{"month": "2026-04", "count": 1, "paid": f"{payment.amount:.2f}", "waiting": "0.00"}]
    assert client.get("/api/v1/organisation/payments", {"status": "due"}, headers=headers).json()["count"] == 0
    assert client.get("/api/v1/organisation/payments", {"month": "2026-03"}, headers=headers).json()["count"] == 0
    bad = client.get("/api/v1/organisation/payments", {"month": "2026-13"}, headers=headers)
    assert bad.status_code == 400 and "month" in bad.json()["errors"]
    bad = client.get("/api/v1/organisation/payments", {"cursor": "@@"}, headers=headers)
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["cursor"]

    csv = client.get(f"/api/v1/organisation/payments/{payment.pk}/statement.csv", headers=headers)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    header, line = csv.content.decode().splitlines()
    assert header.split(";") == STATEMENT_COLUMNS
    values = dict(zip(STATEMENT_COLUMNS, line.split(";"), strict=True))
    assert values["amount"] == f"{payment.amount:.2f}" and values["reference"] == payment.reference
    assert values["siret"] == world.organisation.siret and values["paid_on"] == "2026-04-19"


def test_other_organisations_see_nothing(client, paid):
    _world, payment = paid
    _other, stranger = organisation_with_staff()
    headers = {"Authorization": f"Bearer {token(stranger)}"}
    assert client.get("/api/v1/organisation/payments", headers=headers).json()["count"] == 0
    assert client.get(f"/api/v1/organisation/payments/{payment.pk}/statement.csv", headers=headers).status_code == 404
    client.force_login(stranger)
    assert client.get(f"/organisme/paiements/{payment.pk}/releve.csv").status_code == 404


def test_web_page_shows_totals_and_links_the_statement(client, paid, english):
    world, payment = paid
    client.force_login(world.staff)
    page = client.get("/dossiers/organisme/paiements/").content.decode()
    assert "Totals per month" in page and f"/organisme/paiements/{payment.pk}/releve.csv" in page
    csv = client.get(f"/organisme/paiements/{payment.pk}/releve.csv")
    assert csv.status_code == 200 and payment.reference in csv.content.decode()
