"""The contact form: a subject from the list, a message, an email (prefilled when signed in); sent signed out too;
a ticket with a reference for the agents and a receipt by email; rate-limited; bad input refused with a message,
nothing written."""

import pytest

from opencpf.accounts.models import AuditEvent
from opencpf.support.models import Ticket
from opencpf.support.services import TICKETS_PER_HOUR_PER_ADDRESS
from tests.accounts.factories import HolderFactory

pytestmark = pytest.mark.django_db

GOOD = {"subject": "rights", "message": "My rights for 2025 do not show yet.", "email": "Someone@Example.fr"}


def test_a_signed_out_visitor_sends_a_message_and_gets_its_reference(
    client, english, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/aide/contact/", GOOD)
    assert response.status_code == 302 and response.url == "/aide/contact/envoye/"
    ticket = Ticket.objects.get()
    assert ticket.reference == f"AST-{ticket.created_at:%Y}-{ticket.pk:06d}"
    assert (ticket.subject, ticket.email, ticket.user, ticket.status) == ("rights", "someone@example.fr", None, "open")
    page = client.get("/aide/contact/envoye/").content.decode()
    assert ticket.reference in page
    (receipt,) = mailoutbox
    assert receipt.to == ["someone@example.fr"]
    assert ticket.reference in receipt.subject and ticket.reference in receipt.body
    assert AuditEvent.objects.filter(action="support_ticket_filed", target=f"support_ticket:{ticket.pk}").exists()


def test_signed_in_the_email_is_prefilled_and_the_ticket_names_the_account(client, english):
    holder = HolderFactory()
    client.force_login(holder.user)
    page = client.get("/aide/contact/").content.decode()
    assert f'value="{holder.user.email}"' in page
    client.post("/aide/contact/", {**GOOD, "email": holder.user.email})
    assert Ticket.objects.get().user == holder.user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "", "This field is required."),
        ("subject", "lottery", "Select a valid choice."),
        ("message", "Help\x00me please now", "Null characters are not allowed."),
        ("message", "x" * 6000, "Ensure this value has at most 5000 characters"),
        ("message", "short", "at least 10 characters"),
        ("message", "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200bhi", "at least 10 characters"),
        ("email", "dеmo@opencpf.test", "mixes alphabets"),  # a Cyrillic "е"
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(client, english, mailoutbox, field, value, message):
    response = client.post("/aide/contact/", {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ticket.objects.exists() and not mailoutbox


def test_direction_changing_characters_are_removed_from_the_message(client):
    client.post("/aide/contact/", {**GOOD, "message": "Formation\u202egnp.exe is not mine"})
    assert Ticket.objects.get().message == "Formationgnp.exe is not mine"


def test_too_many_messages_from_one_address_are_refused(client, english):
    for n in range(TICKETS_PER_HOUR_PER_ADDRESS):
        assert client.post("/aide/contact/", {**GOOD, "email": f"p{n}@example.fr"}).status_code == 302
    response = client.post("/aide/contact/", {**GOOD, "email": "another@example.fr"})
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert Ticket.objects.count() == TICKETS_PER_HOUR_PER_ADDRESS


def test_the_sent_page_needs_a_message_sent_from_this_browser(client):
    response = client.get("/aide/contact/envoye/")
    assert response.status_code == 302 and response.url == "/aide/contact/"
