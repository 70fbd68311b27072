"""The codes travel through a real SMTP server (aiosmtpd) started by the test, as in production."""

import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from opencpf.accounts.models import User
from opencpf.accounts.nir import nir_key
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import code_in

pytestmark = [pytest.mark.smtp, pytest.mark.django_db]


class Mailbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def last_to(self, address: str) -> email.message.EmailMessage:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if address in message["X-Envelope-To"]:
                    return message
            time.sleep(0.02)
        raise AssertionError(f"the SMTP server received nothing for {address}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield mailbox
    controller.stop()


def plain_text(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_registration_code_over_smtp(smtp_server, api_client, django_capture_on_commit_callbacks):
    nir = "1880699123045" + nir_key("1880699123045")
    payload = {
        "nir": nir,
        "last_name": "Lefèvre",
        "first_names": "Jean",
        "birth_date": "1988-06-21",
        "email": "jean@example.fr",
        "phone": "+33 6 12 34 56 78",
        "address": {"line1": "3 rue des Lilas", "postal_code": "31000", "city": "Toulouse", "country": "FR"},
        "status": "employee",
        "password": "Tres-Bon-Mot-2026!",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post("/api/v1/holders", payload).status_code == 201
    message = smtp_server.last_to("jean@example.fr")
    assert message["To"] == "jean@example.fr"
    code = code_in(message["Subject"])
    assert code == code_in(plain_text(message))

    # A new application: the sign-in code comes over SMTP too (DESIGN §4.1).
    with django_capture_on_commit_callbacks(execute=True):
        asked = api_client.post("/api/v1/auth/token", {"username": nir, "password": "Tres-Bon-Mot-2026!"}).json()
    assert asked["code"] == "device_code_required"
    device_code = code_in(plain_text(smtp_server.last_to("jean@example.fr")))
    answer = api_client.post("/api/v1/auth/token", {"challenge": asked["challenge"], "device_code": device_code})
    token = answer.json()["token"]
    assert api_client.bearer(token).post("/api/v1/me/email/confirm", {"code": code}).status_code == 204
    assert User.objects.get(email="jean@example.fr").email_verified_at is not None


def test_new_device_code_and_alert_over_smtp(smtp_server, django_capture_on_commit_callbacks):
    holder = HolderFactory(user__email="claire@example.fr")
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/compte/connexion/", {"username": holder.nir, "password": DEFAULT_PASSWORD})
    assert response.url == "/compte/connexion/code/"
    code = code_in(plain_text(smtp_server.last_to("claire@example.fr")))
    count = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/compte/connexion/code/", {"code": code}, REMOTE_ADDR="81.2.69.160")
    assert response.url == "/mon-compte/"
    assert browser.get("/mon-compte/").status_code == 200
    deadline = time.monotonic() + 5
    while len(smtp_server.messages) == count and time.monotonic() < deadline:
        time.sleep(0.02)
    alert = smtp_server.messages[-1]
    assert "81.2.69.160" in plain_text(alert)
