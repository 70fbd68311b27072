"""The contact receipt travels through a real SMTP server (aiosmtpd), in the sender's language."""

import pytest

from opencpf.support.services import ticket_create
from tests.accounts.factories import HolderFactory
from tests.accounts.test_smtp import smtp_server  # noqa: F401 - the fixture

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]


def test_the_receipt_gives_the_reference_in_the_senders_language(smtp_server):  # noqa: F811
    holder = HolderFactory(user__language="en")
    ticket = ticket_create(
        subject="dossier", message="My file n° 12 shows no answer.", email=holder.user.email, user=holder.user
    )
    message = smtp_server.last_to(holder.user.email)
    assert message["Subject"] == f"Your message {ticket.reference} is received"
    body = message.get_content()
    assert ticket.reference in body
    assert "My file n° 12 shows no answer." in body


def test_a_signed_out_sender_gets_the_receipt_in_the_page_language(smtp_server):  # noqa: F811
    ticket = ticket_create(
        subject="other", message="Une question sur le site.", email="quelquun@example.fr", language="fr"
    )
    message = smtp_server.last_to("quelquun@example.fr")
    assert ticket.reference in message["Subject"]
