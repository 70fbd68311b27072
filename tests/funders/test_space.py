"""The funder space (/financeur/) and API: who gets in (authorization matrix), the credit form, the CSV upload and
export, and the holder's view of a funder's money."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.accounts.enums import Role
from opencpf.accounts.services import api_token_create
from opencpf.funders import services
from opencpf.rights.models import TopUp
from tests.accounts.factories import HolderFactory, UserFactory
from tests.funders.factories import FunderOrganisationFactory, funder_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PAGES = ["funders:home", "funders:credit_new", "funders:credit_import", "funders:report_csv", "funders:file_requests"]


def _user(kind):
    if kind == "holder":
        return HolderFactory().user
    if kind == "staff":
        return UserFactory(organisation_staff=True)
    if kind == "advisor":
        return UserFactory(role=Role.ADVISOR, display_name="Advisor")
    if kind == "agent":
        return UserFactory(agent=True)
    if kind == "funder without organisation":
        return UserFactory(role=Role.FUNDER, display_name="Funder")
    return funder_user()


OTHERS = ["holder", "staff", "advisor", "agent", "funder without organisation"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302 and "connexion" in response.url


@pytest.mark.parametrize("kind", OTHERS)
@pytest.mark.parametrize("page", PAGES)
def test_only_funders_get_in(client, page, kind):
    client.force_login(_user(kind))
    assert client.get(reverse(page)).status_code == 403


@pytest.mark.parametrize("kind", OTHERS)
def test_api_is_for_funders_only(api_client, kind):
    assert api_client.get("/api/v1/funder/report").status_code == 401
    assert api_client.post("/api/v1/funder/credits", {}).status_code == 401
    signed = api_client.bearer(api_token_create(user=_user(kind))[0])
    assert signed.get("/api/v1/funder/report").status_code == 403
    holder = HolderFactory()
    payload = {"nir": holder.nir, "last_name": holder.last_name, "amount": "10.00"}
    assert signed.post("/api/v1/funder/credits", payload).status_code == 403
    assert not TopUp.objects.exists()


def test_a_funder_sees_only_its_own_organisation(client):
    mine, theirs = funder_user(), funder_user()
    holder = HolderFactory(last_name="Visible")
    services.credit_add(
        organisation=theirs.funder_member.organisation,
        user=theirs,
        nir=holder.nir,
        last_name=holder.last_name,
        amount="75.00",
    )
    client.force_login(mine)
    page = client.get(reverse("funders:home"))
    assert page.status_code == 200 and "Visible" not in page.content.decode()
    export = client.get(reverse("funders:report_csv")).content.decode("utf-8-sig")
    assert "Visible" not in export


def test_credit_form_then_home_and_export(client):
    user = funder_user()
    holder = HolderFactory(last_name="Martin", first_names="Léa")
    client.force_login(user)
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    bad = client.post(
        reverse("funders:credit_new"),
        {"nir": holder.nir, "last_name": "Martine", "amount": "100", "expires_on": expires},
    )
    assert bad.status_code == 400
    assert "No account holder matches" in bad.content.decode() and not TopUp.objects.exists()
    response = client.post(
        reverse("funders:credit_new"),
        {"nir": holder.nir, "last_name": "martin", "amount": "100,00", "expires_on": expires, "return_unused": "on"},
    )
    assert response.status_code == 302
    top_up = TopUp.objects.get()
    assert (top_up.amount, top_up.return_unused, top_up.funder_credit.created_by) == (Decimal("100.00"), True, user)
    home = client.get(reverse("funders:home")).content.decode()
    assert "Léa MARTIN" in home
    export = client.get(reverse("funders:report_csv"))
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "holder;nir;credited;used;expired;returned;available"
    assert rows[1].endswith(";100.00;0.00;0.00;0.00;100.00")
    assert rows[2].startswith("Total;;100.00")


def test_upload_reports_line_by_line(client):
    client.force_login(funder_user())
    holder = HolderFactory(last_name="Petit")
    text = f"nir;last_name;amount\n{holder.nir};Petit;50\n{holder.nir};Petit;50\n"
    upload = io.BytesIO(text.encode("latin-1"))
    upload.name = "credits.csv"
    response = client.post(reverse("funders:credit_import"), {"file": upload, "wet_run": "on"})
    assert response.status_code == 400 and "duplicate" in response.content.decode()
    assert not TopUp.objects.exists()
    upload = io.BytesIO(text.encode("latin-1"))
    upload.name = "credits.csv"
    response = client.post(reverse("funders:credit_import"), {"file": upload, "wet_run": "on", "skip_invalid": "on"})
    assert response.status_code == 200 and TopUp.objects.count() == 1


def test_api_credit_and_report(api_client):
    user = funder_user(FunderOrganisationFactory(opco=True))
    holder = HolderFactory()
    signed = api_client.bearer(api_token_create(user=user)[0])
    payload = {"nir": holder.nir, "last_name": holder.last_name, "amount": "250.00"}
    assert signed.post("/api/v1/funder/credits", payload | {"amount": "250.001"}).json() == {
        "errors": {"amount": ["An amount has at most two decimals."]}
    }
    assert signed.post("/api/v1/funder/credits", payload | {"last_name": "Nobody"}).status_code == 400
    assert signed.post("/api/v1/funder/credits", payload | {"nir": "1\x00"}).status_code == 400
    far = signed.post("/api/v1/funder/credits", payload | {"expires_on": "9999-12-31"})
    assert far.status_code == 400 and list(far.json()["errors"]) == ["expires_on"]
    soon = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert signed.post("/api/v1/funder/credits", payload | {"expires_on": soon}).status_code == 201
    response = signed.post("/api/v1/funder/credits", payload)
    assert response.status_code == 201
    assert response.json()["amount"] == "250.00" and response.json()["return_unused"] is False
    assert TopUp.objects.filter(funder_kind="opco").count() == 2
    report = signed.get("/api/v1/funder/report").json()
    assert report["total"] == {
        "credited": "500.00",
        "used": "0.00",
        "expired": "0.00",
        "returned": "0.00",
        "available": "500.00",
    }
    assert [line["holder_id"] for line in report["holders"]] == [holder.pk]


def test_the_holder_sees_the_funders_money_and_its_conditions(client):
    holder = HolderFactory()
    organisation = FunderOrganisationFactory(name="Boulangerie Dupain")
    services.credit_add(
        organisation=organisation,
        user=None,
        nir=holder.nir,
        last_name=holder.last_name,
        amount="300.00",
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
        return_unused=True,
    )
    client.force_login(holder.user)
    page = client.get(reverse("rights:my_rights")).content.decode()
    assert "Boulangerie Dupain" in page and "Goes back to the funder after its date" in page


def test_my_rights_shows_each_funders_money_with_its_conditions(client):
    import re

    from opencpf.rights import services as rights_services
    from tests.catalogue.factories import CertificationFactory

    holder = HolderFactory()
    certification = CertificationFactory()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    later = timezone.localdate() + datetime.timedelta(days=40)
    credits = [
        (FunderOrganisationFactory(name="Boulangerie Dupain"), "300.00", [certification.code], soon, True),
        (FunderOrganisationFactory(region=True, name="Région Bretagne"), "150.00", [], later, False),
        (FunderOrganisationFactory(opco=True, name="OPCO Atlas"), "80.00", [], None, False),
    ]
    for organisation, amount, earmark, expires_on, back in credits:
        services.credit_add(
            organisation=organisation,
            user=None,
            nir=holder.nir,
            last_name=holder.last_name,
            amount=amount,
            earmark_certifications=earmark,
            expires_on=expires_on,
            return_unused=back,
        )
    rights_services.topup_add(  # a granted file top-up: for one training file only
        holder=holder,
        amount=Decimal("50.00"),
        funder_kind="employer",
        funder_name="Garage Martin",
        for_dossier_id=4321,
        expires_on=soon,
        return_unused=True,
    )
    client.force_login(holder.user)
    page = client.get(reverse("rights:my_rights")).content.decode()
    table = page.split("My top-ups", 2)[2].split("</table>")[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in table.split("<tr>")[2:]]
    by_funder = {row.split(" ")[0]: row for row in rows}
    assert set(by_funder) == {"Boulangerie", "Région", "OPCO", "Garage"}
    dupain = by_funder["Boulangerie"]
    assert certification.code in dupain and "Goes back to the funder after its date" in dupain
    assert "300.00" in dupain and "Any eligible training" not in dupain
    region = by_funder["Région"]
    assert "Any eligible training" in region and "Expires after its date" in region
    assert "No limit" in by_funder["OPCO"] and "Stays on your account" in by_funder["OPCO"]
    garage = by_funder["Garage"]
    assert "Training file no. 4321 only" in garage and "Any eligible training" not in garage
    assert f'href="{reverse("dossiers:detail", args=[4321])}"' in table
