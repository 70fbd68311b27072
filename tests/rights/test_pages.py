"""The holder's pages: "My rights" (/droits/) and the public "Simulate" (/droits/simuler/)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opencpf.rights import services
from opencpf.rights.enums import FunderKind
from tests.accounts.factories import HolderFactory, UserFactory
from tests.rights.factories import EmploymentDeclarationFactory

pytestmark = pytest.mark.django_db


def test_urls():
    assert reverse("rights:my_rights") == "/droits/"
    assert reverse("rights:simulate") == "/droits/simuler/"


def test_my_rights_requires_sign_in(client):
    response = client.get("/droits/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_my_rights_is_for_holders_only(client):
    client.force_login(UserFactory(agent=True))
    assert client.get("/droits/").status_code == 403


def test_my_rights_shows_the_split_and_the_explained_history(client):
    holder = HolderFactory()
    EmploymentDeclarationFactory(holder=holder, year=2024, hours_worked=Decimal("800"))
    services.rights_credit_year(holder=holder, year=2024)
    services.topup_add(
        holder=holder,
        amount=Decimal("1200"),
        funder_kind=FunderKind.EMPLOYER,
        funder_name="Boulangerie Dupont",
        earmark_certifications=["RNCP37274"],
    )
    client.force_login(holder.user)
    page = client.get("/droits/").content.decode().replace("\xa0", " ").replace("\u202f", " ")
    assert "1 448,92" in page  # total, French format
    assert "248,92" in page  # acquired rights, French format
    assert "Boulangerie Dupont" in page and "RNCP37274" in page
    assert "R6323-1" in page and "L6323-4" in page  # each line cites its legal reference
    assert "legifrance.gouv.fr" in page


def test_empty_history(client):
    holder = HolderFactory()
    client.force_login(holder.user)
    response = client.get("/droits/")
    assert response.status_code == 200


def test_simulate_is_public_and_explains(client):
    page = client.get("/droits/simuler/").content.decode()
    assert "<form" in page and 'name="hours_worked"' in page
    page = client.get(
        "/droits/simuler/", {"status": "employee", "year": "2025", "hours_worked": "800", "reference_hours": "1607"}
    ).content.decode()
    assert "248,92" in page and "R6323-1" in page


def test_simulate_bad_input_shows_the_field_error(client):
    page = client.get(
        "/droits/simuler/", {"status": "employee", "year": "2025", "hours_worked": "-5"}
    ).content.decode()
    assert "fr-input-group--error" in page or "fr-error-text" in page
    page = client.get("/droits/simuler/", {"status": "self_employed", "year": "2025"}).content.decode()
    assert "fr-error-text" in page


def test_simulate_prefills_a_signed_in_holders_situation(client):
    holder = HolderFactory(low_qualified=True)
    EmploymentDeclarationFactory(holder=holder, year=2024)
    services.rights_credit_year(holder=holder, year=2024)
    client.force_login(holder.user)
    page = client.get("/droits/simuler/").content.decode()
    assert 'value="800' in page  # current acquired rights as the starting balance
