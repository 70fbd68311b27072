"""GET /api/v1/rights/simulate (DESIGN §4), GET /api/v1/rights, POST /api/v1/topups."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from opencpf.accounts.enums import Role
from opencpf.accounts.models import AuditEvent
from opencpf.accounts.services import api_token_create
from opencpf.rights import services
from opencpf.rights.enums import FunderKind
from opencpf.rights.models import TopUp
from tests.accounts.factories import HolderFactory, UserFactory
from tests.rights.factories import EmploymentDeclarationFactory

pytestmark = pytest.mark.django_db
SIMULATE = "/api/v1/rights/simulate"


def simulate(api_client, **query):
    return api_client.get(SIMULATE, query)


def test_simulate_part_time_employee(api_client):
    response = simulate(api_client, year=2025, status="employee", hours_worked="800")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["credit"], body["new_balance"], body["cap"]) == ("248.92", "248.92", "5000.00")
    assert body["explanation"]
    for line in body["explanation"]:
        assert line["text"] and line["reference"] and line["url"].startswith("https://")
    assert any("R6323-1" in line["reference"] for line in body["explanation"])


def test_simulate_is_public_and_defaults_reference_hours_to_1607(api_client):
    body = simulate(api_client, status="employee", hours_worked="803.5").json()
    assert body["credit"] == "500.00" and body["year"] == timezone.localdate().year


def test_simulate_near_the_cap(api_client):
    body = simulate(api_client, year=2025, status="employee", hours_worked="1607", balance="4800.50").json()
    assert (body["credit"], body["new_balance"]) == ("199.50", "5000.00")


def test_simulate_priority_groups(api_client):
    body = simulate(
        api_client, year=2025, status="employee", hours_worked="1607", low_qualified="true", balance="7600"
    ).json()
    assert (body["credit"], body["new_balance"], body["cap"]) == ("400.00", "8000.00", "8000.00")
    body = simulate(api_client, year=2025, status="employee", hours_worked="1607", disabled_worker="true").json()
    assert body["credit"] == "800.00"


def test_simulate_agreed_reference(api_client):
    body = simulate(api_client, year=2025, status="employee", hours_worked="700", reference_hours="1400").json()
    assert body["credit"] == "500.00"


def test_simulate_self_employed_and_job_seeker(api_client):
    assert simulate(api_client, year=2025, status="self_employed", months_active=7).json()["credit"] == "291.67"
    body = simulate(api_client, year=2025, status="job_seeker", balance="1200").json()
    assert (body["credit"], body["new_balance"]) == ("0.00", "1200.00")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "retired", "hours_worked": "10"}, "status"),
        ({"hours_worked": "10"}, "status"),
        ({"status": "employee"}, "hours_worked"),
        ({"status": "employee", "hours_worked": "-1"}, "hours_worked"),
        ({"status": "employee", "hours_worked": "abc"}, "hours_worked"),
        ({"status": "employee", "hours_worked": "99999"}, "hours_worked"),
        ({"status": "employee", "hours_worked": "10.001"}, "hours_worked"),
        ({"status": "employee", "hours_worked": "NaN"}, "hours_worked"),
        ({"status": "employee", "hours_worked": "10", "reference_hours": "0"}, "reference_hours"),
        ({"status": "employee", "hours_worked": "10", "balance": "-5"}, "balance"),
        ({"status": "employee", "hours_worked": "10", "year": "2017"}, "year"),
        ({"status": "employee", "hours_worked": "10", "year": "3000"}, "year"),
        ({"status": "employee", "hours_worked": "10", "year": "next"}, "year"),
        ({"status": "self_employed"}, "months_active"),
        ({"status": "self_employed", "months_active": "13"}, "months_active"),
        ({"status": "employee", "hours_worked": "10", "low_qualified": "maybe"}, "low_qualified"),
    ],
)
def test_simulate_bad_input_names_the_field(api_client, query, field):
    response = simulate(api_client, **query)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


def test_simulator_is_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/v1/schema/").json()
    assert "/api/v1/rights/simulate" in schema["paths"]
    assert "/api/v1/topups" in schema["paths"]


# --- my rights -----------------------------------------------------------------------------------------------


def token(user):
    return api_token_create(user=user)[0]


def test_my_rights_balance_split_and_history(api_client):
    holder = HolderFactory()
    EmploymentDeclarationFactory(holder=holder, year=2024, hours_worked=Decimal("800"))
    services.rights_credit_year(holder=holder, year=2024)
    services.topup_add(
        holder=holder, amount=Decimal("300"), funder_kind=FunderKind.REGION, funder_name="Région Bretagne"
    )
    response = api_client.bearer(token(holder.user)).get("/api/v1/rights")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["acquired"], body["top_ups"], body["total"], body["cap"]) == (
        "248.92",
        "300.00",
        "548.92",
        "5000.00",
    )
    assert body["top_up_list"][0]["funder_name"] == "Région Bretagne"
    assert [item["kind"] for item in body["history"]] == ["top_up", "yearly_credit"]
    for item in body["history"]:
        assert item["explanation"] and all(line["reference"] for line in item["explanation"])


def test_my_rights_needs_a_signed_in_holder(api_client):
    assert api_client.get("/api/v1/rights").status_code == 401
    agent = UserFactory(agent=True)
    assert api_client.bearer(token(agent)).get("/api/v1/rights").status_code == 403


# --- top-ups -------------------------------------------------------------------------------------------------


def top_up_payload(holder, **overrides):
    payload = {
        "nir": holder.nir,
        "last_name": holder.last_name,
        "amount": "1500.00",
        "funder_kind": "employer",
        "funder_name": "ACME SA",
    }
    payload.update(overrides)
    return payload


def test_funder_adds_an_earmarked_expiring_top_up(api_client):
    holder = HolderFactory(last_name="Dupré")
    funder = UserFactory(role=Role.FUNDER, display_name="OPCO Atlas")
    expires = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = api_client.bearer(token(funder)).post(
        "/api/v1/topups",
        top_up_payload(
            holder,
            nir=" ".join([holder.nir[:1], holder.nir[1:3], holder.nir[3:]]),
            last_name="DUPRE",
            funder_kind="opco",
            funder_name=None,
            earmark_certifications=["rncp37274"],
            expires_on=expires,
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["remaining"], body["funder_name"]) == ("1500.00", "1500.00", "OPCO Atlas")
    assert body["earmark_certifications"] == ["RNCP37274"] and body["expires_on"] == expires
    top_up = TopUp.objects.get(pk=body["id"])
    assert top_up.holder == holder and top_up.created_by == funder
    assert holder.rights_account.top_ups == Decimal("1500.00")
    assert AuditEvent.objects.filter(action="top_up_added", actor=funder).exists()


def test_agent_adds_a_plain_top_up(api_client):
    holder = HolderFactory()
    response = api_client.bearer(token(UserFactory(agent=True))).post("/api/v1/topups", top_up_payload(holder))
    assert response.status_code == 201
    assert response.json()["expires_on"] is None and response.json()["earmark_certifications"] == []


def test_only_funders_and_agents_add_top_ups(api_client):
    holder = HolderFactory()
    assert api_client.post("/api/v1/topups", top_up_payload(holder)).status_code == 401
    response = api_client.bearer(token(holder.user)).post("/api/v1/topups", top_up_payload(holder))
    assert response.status_code == 403
    assert not TopUp.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"last_name": "Martin"}, "nir"),
        ({"nir": "1900375056999"}, "nir"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-10"}, "amount"),
        ({"amount": "10.123"}, "amount"),
        ({"amount": "1000000000"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"funder_kind": "bank"}, "funder_kind"),
        ({"funder_name": " "}, "funder_name"),
        ({"expires_on": "2001-01-01"}, "expires_on"),
        ({"expires_on": "tomorrow"}, "expires_on"),
        ({"earmark_certifications": ["MBA"]}, "earmark_certifications"),
        ({"earmark_offers": [0]}, "earmark_offers"),
    ],
)
def test_top_up_bad_input(api_client, overrides, field):
    holder = HolderFactory()
    agent = UserFactory(agent=True)
    response = api_client.bearer(token(agent)).post("/api/v1/topups", top_up_payload(holder, **overrides))
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not TopUp.objects.exists()


def test_no_top_up_on_a_closed_account(api_client):
    holder = HolderFactory()
    services.account_close(holder=holder, reason="death")
    response = api_client.bearer(token(UserFactory(agent=True))).post("/api/v1/topups", top_up_payload(holder))
    assert response.status_code == 400
    assert not TopUp.objects.exists()
