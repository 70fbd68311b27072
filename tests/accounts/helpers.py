"""Small helpers shared by the accounts tests (reading codes the way a holder would)."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django_otp.oath import totp

from opencpf.accounts.models import SmsOutbox

CODE = re.compile(r"\b(\d{6})\b")


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match, f"no 6-digit code in: {text!r}"
    return match.group(1)


def last_code_emailed_to(address: str) -> str:
    for message in reversed(mail.outbox):
        if address in message.to:
            return code_in(message.body)
    raise AssertionError(f"no email to {address}")


def last_sms_code(number: str) -> str:
    sms = SmsOutbox.objects.filter(to=number).order_by("-pk").first()
    assert sms is not None, f"no SMS to {number}"
    return code_in(sms.body)


def totp_code(device, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods later, within the accepted tolerance)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def wait_after_wrong_totp(device) -> None:
    """django-otp makes the holder wait 1 s, 2 s, 4 s… after wrong codes: let that time pass."""
    from datetime import timedelta

    from django.utils import timezone

    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=10)
    )


def web_sign_in(client, user, capture, *, ip: str = "127.0.0.1", password: str = "Correct-Horse-42!"):
    """Sign in through the real pages (password, then the emailed code on a new device); returns the last response.
    `capture` is pytest-django's django_capture_on_commit_callbacks fixture."""
    with capture(execute=True):
        response = client.post("/compte/connexion/", {"username": user.email, "password": password}, REMOTE_ADDR=ip)
    if response.status_code == 302 and response.url == "/compte/connexion/code/":
        with capture(execute=True):
            response = client.post(
                "/compte/connexion/code/", {"code": last_code_emailed_to(user.email)}, REMOTE_ADDR=ip
            )
    assert response.status_code == 302 and response.url == "/mon-compte/", response
    return response


@pytest.fixture
def in_english(client):
    """Pages, API answers and service messages in English, so assertions do not depend on the translations."""
    client.cookies["opencpf_language"] = "en"
    with translation.override("en"):
        yield


TOKEN_URL = "/api/v1/auth/token"


def api_sign_in(api_client, user, capture, *, username=None, password="Correct-Horse-42!", device_token=None, **extra):
    """`POST /api/v1/auth/token` the way an application does it (DESIGN §4.1): with its `device_token` when it has one,
    else through the emailed code (`challenge` + `device_code`). Returns the 200 answer's JSON."""
    payload = {"username": username or user.email, "password": password}
    if device_token:
        payload["device_token"] = device_token
    with capture(execute=True):
        response = api_client.post(TOKEN_URL, payload, **extra)
    if response.status_code == 401 and response.json().get("code") == "device_code_required":
        with capture(execute=True):
            response = api_client.post(
                TOKEN_URL,
                {"challenge": response.json()["challenge"], "device_code": last_code_emailed_to(user.email)},
                **extra,
            )
    assert response.status_code == 200, response.content
    return response.json()
