"""Issue 11's bad input, through the funder's web form and API alike: refused with a clear message on the right field,
never a 500, nothing written (no top-up, no funder credit, no ledger row)."""

import pytest
from django.urls import reverse

from opencpf.accounts.enums import ClosureReason
from opencpf.accounts.services import api_token_create
from opencpf.funders import services
from opencpf.funders.models import FunderCredit
from opencpf.rights import services as rights_services
from opencpf.rights.models import LedgerEntry, TopUp
from tests.accounts.factories import HolderFactory
from tests.funders.factories import funder_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NO_MATCH = "No account holder matches this social security number and birth name."


def nothing_written():
    return not TopUp.objects.exists() and not FunderCredit.objects.exists() and not LedgerEntry.objects.exists()


@pytest.fixture
def holder():
    return HolderFactory(last_name="Durand")


BAD = {
    # field the message lands on, and what is typed
    "look-alike name (Cyrillic а)": ("nir", {"last_name": "Durаnd"}),
    "another birth name": ("nir", {"last_name": "Dupont"}),
    "name with a NUL": ("nir", {"last_name": "Dur\x00and"}),
    "NIR with a wrong key": ("nir", {"nir": "WRONGKEY"}),
    "negative amount": ("amount", {"amount": "-10.00"}),
    "zero amount": ("amount", {"amount": "0"}),
    "three decimals": ("amount", {"amount": "10.001"}),
    "huge amount": ("amount", {"amount": "1e40"}),
    "unknown certification": ("earmark_certifications", {"earmark_certifications": "RNCP99999"}),
}


def _form(holder, changes):
    form = {"nir": holder.nir, "last_name": holder.last_name, "amount": "100.00"} | changes
    if form["nir"] == "WRONGKEY":
        form["nir"] = holder.nir[:13] + f"{(int(holder.nir[13:]) % 97) + 1:02d}"
    return form


@pytest.mark.parametrize(("field", "changes"), BAD.values(), ids=BAD.keys())
def test_the_credit_form_refuses_on_the_field(client, holder, field, changes):
    client.force_login(funder_user())
    response = client.post(reverse("funders:credit_new"), _form(holder, changes))
    assert response.status_code == 400
    content = response.content.decode()
    assert "fr-error-text" in content or "fr-input-group--error" in content or "fr-alert--error" in content
    if field == "nir" and "\x00" not in changes.get("last_name", ""):
        assert NO_MATCH in content
    assert nothing_written()


@pytest.mark.parametrize(("field", "changes"), BAD.values(), ids=BAD.keys())
def test_the_api_refuses_on_the_field(api_client, holder, field, changes):
    signed = api_client.bearer(api_token_create(user=funder_user())[0])
    payload = _form(holder, changes)
    if "earmark_certifications" in payload:
        payload["earmark_certifications"] = [payload["earmark_certifications"]]
    response = signed.post("/api/v1/funder/credits", payload)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors or (field == "nir" and "last_name" in errors), errors
    assert nothing_written()


def test_a_closed_account_is_refused_on_the_web_and_the_api(client, api_client, holder):
    rights_services.account_close(holder=holder, reason=ClosureReason.DEATH)
    rows = LedgerEntry.objects.count()
    user = funder_user()
    client.force_login(user)
    response = client.post(reverse("funders:credit_new"), _form(holder, {}))
    assert (
        response.status_code == 400 and "account is closed: it can no longer be credited" in response.content.decode()
    )
    api = api_client.bearer(api_token_create(user=user)[0]).post("/api/v1/funder/credits", _form(holder, {}))
    assert api.status_code == 400 and api.json()["errors"]["nir"] == [
        "This holder's account is closed: it can no longer be credited."
    ]
    assert not TopUp.objects.exists() and not FunderCredit.objects.exists()
    assert LedgerEntry.objects.count() == rows


def test_a_csv_line_for_a_closed_account_is_reported_and_the_file_writes_nothing(holder):
    other = HolderFactory(last_name="Martin")
    rights_services.account_close(holder=holder, reason=ClosureReason.RETIREMENT)
    raw = f"nir;last_name;amount\n{other.nir};Martin;50\n{holder.nir};Durand;50\n".encode()
    report = services.credits_import(
        organisation=funder_user().funder_member.organisation, user=None, raw=raw, wet_run=True
    )
    assert [line.line for line in report.invalid] == [3]
    assert "closed" in report.invalid[0].errors[0]
    assert not report.written and not TopUp.objects.exists()
