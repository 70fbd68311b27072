"""A mobile app shows the holder's security data (DESIGN §2.5) and acts on it: sign-in history, web sessions,
remembered devices and signed-in applications; closing a session, forgetting a device, signing an app out."""

import pytest

from opencpf.accounts.enums import SignInOutcome
from opencpf.accounts.models import AuditEvent
from opencpf.catalogue.enums import ApiKeyScope
from opencpf.catalogue.services.api_keys import api_key_create
from tests.accounts.factories import HolderFactory
from tests.accounts.helpers import api_sign_in, web_sign_in
from tests.dossiers.factories import organisation_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, api_client, django_capture_on_commit_callbacks):
    """A holder signed in on the web (one session) and twice through the API (a phone and a tablet)."""
    holder = HolderFactory(user__email="claire@example.fr")
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    phone = api_sign_in(api_client, holder.user, django_capture_on_commit_callbacks)
    tablet = api_sign_in(api_client, holder.user, django_capture_on_commit_callbacks)
    return holder, phone, tablet


def test_the_app_lists_sign_ins_sessions_devices_and_applications(client, api_client, signed_in):
    holder, phone, tablet = signed_in
    api = api_client.bearer(phone["token"])
    sign_ins = api.get("/api/v1/me/sign-ins").json()["results"]
    assert [s["channel"] for s in sign_ins][:2] == ["api", "api"] and sign_ins[-1]["channel"] == "web"
    assert {s["outcome"] for s in sign_ins} >= {SignInOutcome.SUCCESS, SignInOutcome.CODE_SENT}
    security = api.get("/api/v1/me/security").json()
    assert len(security["sessions"]) == 1 and len(security["devices"]) == 3 and len(security["tokens"]) == 2
    assert [t["current"] for t in security["tokens"]] == [False, True]  # the tablet signed in last
    assert security["totp_enabled"] is False


def test_closing_a_session_forgetting_a_device_signing_an_app_out(client, api_client, signed_in):
    holder, phone, tablet = signed_in
    api = api_client.bearer(phone["token"])
    security = api.get("/api/v1/me/security").json()
    assert client.get("/mon-compte/").status_code == 200
    assert api.delete(f"/api/v1/me/sessions/{security['sessions'][0]['id']}").status_code == 204
    assert client.get("/mon-compte/").status_code == 302  # that browser is signed out
    assert api.delete(f"/api/v1/me/devices/{security['devices'][0]['id']}").status_code == 204
    tablet_token = next(t for t in security["tokens"] if not t["current"])
    assert api.delete(f"/api/v1/me/tokens/{tablet_token['id']}").status_code == 204
    assert api_client.bearer(tablet["token"]).get("/api/v1/me").status_code == 401
    after = api_client.bearer(phone["token"]).get("/api/v1/me/security").json()
    assert (len(after["sessions"]), len(after["devices"]), len(after["tokens"])) == (0, 2, 1)
    assert set(AuditEvent.objects.filter(actor=holder.user).values_list("action", flat=True)) >= {
        "session_revoked",
        "device_forgotten",
        "api_token_revoked",
    }


def test_nobody_closes_what_is_not_theirs(api_client, signed_in, django_capture_on_commit_callbacks):
    holder, phone, _tablet = signed_in
    security = api_client.bearer(phone["token"]).get("/api/v1/me/security").json()
    other = HolderFactory(user__email="paul@example.fr")
    stranger = api_sign_in(api_client, other.user, django_capture_on_commit_callbacks)
    api = api_client.bearer(stranger["token"])
    for kind, rows in (("sessions", "sessions"), ("devices", "devices"), ("tokens", "tokens")):
        response = api.delete(f"/api/v1/me/{kind}/{security[rows][0]['id']}")
        assert response.status_code == 404 and response.json()["detail"]
    assert api.delete("/api/v1/me/tokens/99999999999999999999999").status_code == 400
    assert api_client.bearer(phone["token"]).get("/api/v1/me").status_code == 200
    api_client.headers = {}
    assert api_client.get("/api/v1/me/security").status_code == 401


def test_an_organisation_key_has_no_account_security(api_client):
    organisation, manager = organisation_with_staff()
    key, _ = api_key_create(organisation=organisation, name="ERP", scopes=[ApiKeyScope.FILES], actor=manager)
    assert api_client.bearer(key).get("/api/v1/me/security").status_code == 403
