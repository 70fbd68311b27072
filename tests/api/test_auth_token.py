import dataclasses
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from opencpf.accounts import signin
from opencpf.accounts.enums import SignInChannel, SignInOutcome
from opencpf.accounts.models import ApiToken, KnownDevice, SignInEvent
from opencpf.utils.client import ClientInfo
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import api_sign_in, in_english, last_code_emailed_to  # noqa: F401

pytestmark = pytest.mark.usefixtures("in_english")
TOKEN = "/api/v1/auth/token"


@pytest.fixture
def holder():
    return HolderFactory(user__email="claire@example.fr")


@pytest.mark.django_db
def test_a_new_device_needs_the_emailed_code_then_its_device_token_is_enough(
    api_client, holder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD})
    assert first.status_code == 401
    body = first.json()
    assert body["code"] == "device_code_required" and body["challenge"]
    assert not ApiToken.objects.exists()
    code = last_code_emailed_to("claire@example.fr")
    # A wrong code gives nothing; the right one gives a token and the device's token.
    wrong = api_client.post(
        TOKEN, {"challenge": body["challenge"], "device_code": "000000" if code != "000000" else "1"}
    )
    assert wrong.status_code == 401 and "device_code" in wrong.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        ok = api_client.post(TOKEN, {"challenge": body["challenge"], "device_code": code})
    assert ok.status_code == 200, ok.content
    answer = ok.json()
    assert set(answer) >= {"token", "expires_at", "device_token"}
    assert api_client.bearer(answer["token"]).get("/api/v1/me").status_code == 200
    # The code is used once: the same challenge and code again get nothing.
    assert api_client.post(TOKEN, {"challenge": body["challenge"], "device_code": code}).status_code == 401
    # The same device, by email or NIR, signs in with its device token alone.
    for username in ("claire@example.fr", holder.nir):
        again = api_client.post(
            TOKEN, {"username": username, "password": DEFAULT_PASSWORD, "device_token": answer["device_token"]}
        )
        assert again.status_code == 200 and again.json().get("device_token") is None
    events = SignInEvent.objects.filter(user=holder.user, outcome=SignInOutcome.SUCCESS)
    assert events.count() == 3 and {e.channel for e in events} == {SignInChannel.API}
    assert not any(answer["token"] in t.key_hash for t in ApiToken.objects.all())
    # The API's device is one of the holder's remembered devices, listed like the browsers.
    assert KnownDevice.objects.filter(user=holder.user).count() == 1


@pytest.mark.django_db
def test_another_accounts_device_token_or_a_forged_one_is_a_new_device(api_client, holder):
    other = HolderFactory(user__email="other@example.fr")
    token = signin.device_remember(user=other.user, client=ClientInfo(ip=None, country="", device="x"))
    for device_token in (token, "forged", "x" * 5000):
        response = api_client.post(
            TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD, "device_token": device_token}
        )
        assert response.status_code == 401 and response.json()["code"] == "device_code_required"


@pytest.mark.django_db
@pytest.mark.parametrize("challenge", ["", "garbage", "eyJ1c2VyX2lkIjogMX0:1abc:def"])
def test_a_forged_or_missing_challenge_is_refused(api_client, holder, challenge):
    response = api_client.post(TOKEN, {"challenge": challenge, "device_code": "123456"})
    assert response.status_code == 400 and "challenge" in response.json()["errors"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_expired_challenge_is_refused(api_client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = api_client.post(TOKEN, {"username": holder.nir, "password": DEFAULT_PASSWORD}).json()["challenge"]
    code = last_code_emailed_to("claire@example.fr")
    # The same challenge as if the password had been typed 16 minutes ago (signed with the server's key).
    pending = signin.pending_of_challenge(challenge)
    started = (timezone.now() - signin.PENDING_LIFETIME - datetime.timedelta(minutes=1)).timestamp()
    late = signin.challenge_of(dataclasses.replace(pending, started_at=started))
    response = api_client.post(TOKEN, {"challenge": late, "device_code": code})
    assert response.status_code == 400 and "challenge" in response.json()["errors"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_new_device_is_announced_once(api_client, holder, django_capture_on_commit_callbacks):
    answer = api_sign_in(api_client, holder.user, django_capture_on_commit_callbacks, headers={"User-Agent": "MyApp"})
    alerts = [m for m in mail.outbox if "MyApp" in m.body]
    assert len(alerts) == 1 and alerts[0].to == ["claire@example.fr"]
    before = len(mail.outbox)
    api_sign_in(
        api_client,
        holder.user,
        django_capture_on_commit_callbacks,
        device_token=answer["device_token"],
        headers={"User-Agent": "MyApp"},
    )
    assert len(mail.outbox) == before


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
def test_token_lockout_by_address_spares_a_known_device(api_client, holder, django_capture_on_commit_callbacks):
    device_token = api_sign_in(api_client, holder.user, django_capture_on_commit_callbacks)["device_token"]
    other = HolderFactory(user__email="colleague@example.fr")
    for i in range(30):
        api_client.post(TOKEN, {"username": f"guess{i}@example.fr", "password": "x"}, REMOTE_ADDR="192.0.2.7")
    blocked = api_client.post(TOKEN, {"username": other.nir, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="192.0.2.7")
    assert blocked.status_code == 429
    # Behind the same address, the holder's known device with the right password is not refused...
    known = {"username": holder.nir, "password": DEFAULT_PASSWORD, "device_token": device_token}
    assert api_client.post(TOKEN, known, REMOTE_ADDR="192.0.2.7").status_code == 200
    # ...but a wrong password from it is.
    wrong = api_client.post(TOKEN, {**known, "password": "Wrong-Password-1!"}, REMOTE_ADDR="192.0.2.7")
    assert wrong.status_code == 429
    elsewhere = api_client.post(TOKEN, {"username": other.nir, "password": DEFAULT_PASSWORD}, REMOTE_ADDR="192.0.2.8")
    assert elsewhere.status_code == 401 and elsewhere.json()["code"] == "device_code_required"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{}, {"username": "a"}, {"password": "b"}, {"username": 3, "password": []}])
def test_malformed_token_request_is_400(api_client, payload):
    assert api_client.post(TOKEN, payload).status_code == 400


@pytest.mark.django_db
def test_sign_out_everywhere_revokes_every_token_and_device(api_client, holder, django_capture_on_commit_callbacks):
    first_answer = api_sign_in(api_client, holder.user, django_capture_on_commit_callbacks)
    first = first_answer["token"]
    second = api_sign_in(
        api_client, holder.user, django_capture_on_commit_callbacks, device_token=first_answer["device_token"]
    )["token"]
    assert api_client.bearer(first).post("/api/v1/me/sign-out-everywhere").status_code == 204
    assert api_client.bearer(first).get("/api/v1/me").status_code == 401
    assert api_client.bearer(second).get("/api/v1/me").status_code == 401
    assert api_client.bearer("").post("/api/v1/me/sign-out-everywhere").status_code == 401
    forgotten = {"username": holder.nir, "password": DEFAULT_PASSWORD, "device_token": first_answer["device_token"]}
    assert api_client.bearer("").post(TOKEN, forgotten).json()["code"] == "device_code_required"


@pytest.mark.django_db
def test_a_known_devices_sign_in_asks_little_of_the_database(api_client, holder, django_assert_num_queries):
    """The busiest day's sign-in (bench-peak): the account is looked up once, the remembered device brought up to
    date in one statement (11 queries; 13 before). The device keeps its first sighting, its label and last sighting
    follow this sign-in."""
    token = signin.device_remember(user=holder.user, client=ClientInfo(ip=None, country="", device="old phone"))
    device = KnownDevice.objects.get(user=holder.user)
    KnownDevice.objects.filter(pk=device.pk).update(last_seen_at=timezone.now() - datetime.timedelta(days=30))
    body = {"username": holder.nir, "password": DEFAULT_PASSWORD, "device_token": token}
    with django_assert_num_queries(11):
        response = api_client.post(TOKEN, body, headers={"User-Agent": "Mozilla/5.0 (Android 14) Firefox/130.0"})
    assert response.status_code == 200 and response.json()["device_token"] is None
    again = KnownDevice.objects.get(user=holder.user)
    assert again.pk == device.pk and again.first_seen_at == device.first_seen_at
    assert again.label == "Firefox / Android" and again.last_seen_at > timezone.now() - datetime.timedelta(minutes=1)
