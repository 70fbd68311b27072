import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.models import SignInEvent
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import in_english, totp_code, wait_after_wrong_totp, web_sign_in  # noqa: F401

SETUP = "/compte/securite/double-authentification/"
LOGIN = "/compte/connexion/"
CODE = "/compte/connexion/code/"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def holder():
    return HolderFactory(user__email="claire@example.fr")


def enable_totp(client, capture) -> TOTPDevice:
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    with capture(execute=True):
        response = client.post(SETUP, {"code": totp_code(device)})
    assert response.url == "/compte/securite/"
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.mark.django_db
def test_setup_shows_a_qr_code_and_the_secret_and_needs_a_first_code(
    client, holder, django_capture_on_commit_callbacks
):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    response = client.get(SETUP)
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=holder.user)
    assert "<svg" in page and "otpauth" not in page  # the URL is only inside the QR code
    assert response.context["secret"].replace(" ", "") in page.replace(" ", "")
    # A wrong first code does not turn it on.
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    # Nor does a half-done setup change how one signs in.
    client.post(reverse("accounts:logout"))
    assert client.post(LOGIN, {"username": holder.nir, "password": DEFAULT_PASSWORD}).url == "/mon-compte/"


@pytest.mark.django_db
def test_totp_sign_in_on_the_web(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    device = enable_totp(client, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["claire@example.fr"]  # told that two-step verification is on
    client.post(reverse("accounts:logout"))

    response = client.post(LOGIN, {"username": holder.nir, "password": DEFAULT_PASSWORD})
    assert response.url == CODE
    assert "authenticator" in client.get(CODE).content.decode()
    wrong = f"{(int(totp_code(device, 1)) + 1) % 1_000_000:06d}"
    assert client.post(CODE, {"code": wrong}).status_code == 200
    assert client.get("/mon-compte/").status_code == 302
    # Right away, even the right code must wait (django-otp's growing pause); a moment later it works.
    response = client.post(CODE, {"code": totp_code(device, steps_ahead=1)})
    assert "Wait a few seconds" in response.content.decode()
    wait_after_wrong_totp(device)
    response = client.post(CODE, {"code": totp_code(device, steps_ahead=1)})
    assert response.url == "/mon-compte/"
    assert client.get("/mon-compte/").status_code == 200
    assert SignInEvent.objects.filter(user=holder.user, outcome="bad_totp").count() == 1


@pytest.mark.django_db
def test_totp_replaces_the_emailed_code_on_a_new_device(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    device = enable_totp(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(LOGIN, {"username": holder.nir, "password": DEFAULT_PASSWORD}).url == CODE
    assert mail.outbox == []  # no emailed code: the app's code is asked instead
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(CODE, {"code": totp_code(device, 1)}).url == "/mon-compte/"
    assert "new device" in mail.outbox[-1].subject.lower() or "appareil" in mail.outbox[-1].subject.lower()


@pytest.mark.django_db
def test_totp_code_is_required_by_the_token_api(client, api_client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    device = enable_totp(client, django_capture_on_commit_callbacks)
    credentials = {"username": holder.nir, "password": DEFAULT_PASSWORD}

    missing = api_client.post("/api/v1/auth/token", credentials)
    assert missing.status_code == 401 and "otp_code" in missing.json()["errors"]
    wrong = f"{(int(totp_code(device, 1)) + 1) % 1_000_000:06d}"
    bad = api_client.post("/api/v1/auth/token", {**credentials, "otp_code": wrong})
    assert bad.status_code == 401 and "otp_code" in bad.json()["errors"]
    wait_after_wrong_totp(device)
    ok = api_client.post("/api/v1/auth/token", {**credentials, "otp_code": totp_code(device, 1)})
    assert ok.status_code == 200, ok.json()
    # A code is good once.
    again = api_client.post("/api/v1/auth/token", {**credentials, "otp_code": totp_code(device, 1)})
    assert again.status_code == 401
    # The wrong password still gets the plain answer, whatever the code.
    wrong_password = api_client.post(
        "/api/v1/auth/token", {"username": holder.nir, "password": "Wrong-Password-1!", "otp_code": "123456"}
    )
    assert wrong_password.json() == {"errors": {"__all__": ["Wrong identifier or password."]}}


@pytest.mark.django_db
def test_disable_totp_with_the_password(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    enable_totp(client, django_capture_on_commit_callbacks)
    url = reverse("accounts:totp_disable")
    response = client.post(url, {"password": "Wrong-Password-1!"})
    assert "password" in response.context["form"].errors
    assert TOTPDevice.objects.filter(user=holder.user, confirmed=True).exists()
    assert client.post(url, {"password": DEFAULT_PASSWORD}).url == "/compte/securite/"
    assert not TOTPDevice.objects.filter(user=holder.user).exists()
    client.post(reverse("accounts:logout"))
    assert client.post(LOGIN, {"username": holder.nir, "password": DEFAULT_PASSWORD}).url == "/mon-compte/"
