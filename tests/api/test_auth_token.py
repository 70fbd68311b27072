import pytest
from django.core import mail

from opencpf.accounts.enums import SignInChannel, SignInOutcome
from opencpf.accounts.models import ApiToken, SignInEvent
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import in_english  # noqa: F401

pytestmark = pytest.mark.usefixtures("in_english")
TOKEN = "/api/v1/auth/token"


@pytest.fixture
def holder():
    return HolderFactory(user__email="claire@example.fr")


@pytest.mark.django_db
def test_token_with_email_or_nir_is_recorded_in_the_history(api_client, holder):
    for username in ("claire@example.fr", holder.nir):
        response = api_client.post(TOKEN, {"username": username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 200
        assert response.json()["token_type"] == "Bearer"
    events = SignInEvent.objects.filter(user=holder.user, outcome=SignInOutcome.SUCCESS)
    assert events.count() == 2 and {e.channel for e in events} == {SignInChannel.API}
    assert ApiToken.objects.filter(user=holder.user).count() == 2
    assert not any(response.json()["token"] in t.key_hash for t in ApiToken.objects.all())


@pytest.mark.django_db
def test_first_sign_in_of_an_application_is_announced_once(api_client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}, headers={"User-Agent": "MyApp"})
    assert [m.to for m in mail.outbox] == [["claire@example.fr"]]
    assert "MyApp" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}, headers={"User-Agent": "MyApp"})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_wrong_password_and_unknown_account_get_the_same_401(api_client, holder):
    wrong = api_client.post(TOKEN, {"username": holder.nir, "password": "Wrong-Password-1!"})
    unknown = api_client.post(TOKEN, {"username": "nobody@example.fr", "password": "Wrong-Password-1!"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"errors": {"__all__": ["Wrong identifier or password."]}}


@pytest.mark.django_db
def test_token_lockout_is_429_and_the_same_for_an_unknown_account(api_client, holder):
    answers = {}
    for username in (holder.nir, "nobody@example.fr"):
        statuses = []
        for i in range(5):
            response = api_client.post(
                TOKEN, {"username": username, "password": "Wrong-Password-1!"}, REMOTE_ADDR=f"198.51.100.{i}"
            )
            statuses.append(response.status_code)
        right = api_client.post(TOKEN, {"username": username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="203.0.113.5")
        assert statuses == [401, 401, 401, 401, 429]
        assert right.status_code == 429
        answers[username] = right.json()
    assert answers[holder.nir] == answers["nobody@example.fr"]
    assert "Too many failed attempts" in answers[holder.nir]["errors"]["__all__"][0]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_lockout_by_address(api_client, holder):
    for i in range(30):
        api_client.post(TOKEN, {"username": f"guess{i}@example.fr", "password": "x"}, REMOTE_ADDR="192.0.2.7")
    blocked = api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="192.0.2.7")
    assert blocked.status_code == 429
    elsewhere = api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="192.0.2.8")
    assert elsewhere.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{}, {"username": "a"}, {"password": "b"}, {"username": 3, "password": []}])
def test_malformed_token_request_is_400(api_client, payload):
    assert api_client.post(TOKEN, payload).status_code == 400


@pytest.mark.django_db
def test_sign_out_everywhere_revokes_every_token(api_client, holder):
    first = api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}).json()["token"]
    second = api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}).json()["token"]
    assert api_client.bearer(first).post("/api/v1/me/sign-out-everywhere").status_code == 204
    assert api_client.bearer(first).get("/api/v1/me").status_code == 401
    assert api_client.bearer(second).get("/api/v1/me").status_code == 401
    assert api_client.bearer("").post("/api/v1/me/sign-out-everywhere").status_code == 401
