"""A person sees their own help requests ("My help requests", from the help centre and their account): reference,
subject, state, dates and the agent's answer, which is also emailed. Messages sent signed out with the address the
account has confirmed are theirs too (the receipts already went to that mailbox); anyone else's is a 404."""

import pytest

from opencpf.support.models import Ticket
from opencpf.support.services import ticket_create
from tests.accounts.factories import HolderFactory, UserFactory
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db


def test_a_holder_reads_their_requests_and_the_answer_an_agent_wrote(
    client, english, mailoutbox, django_capture_on_commit_callbacks
):
    holder = HolderFactory()
    client.force_login(holder.user)
    client.post(
        "/aide/contact/", {"subject": "rights", "message": "My 2025 rights are missing.", "email": holder.user.email}
    )
    ticket = Ticket.objects.get()
    assert 'href="/aide/mes-demandes/"' in client.get("/mon-compte/").content.decode()  # from the account
    assert 'href="/aide/mes-demandes/"' in client.get("/aide/").content.decode()  # and from the help centre

    page = client.get("/aide/mes-demandes/").content.decode()
    assert ticket.reference in page and "My rights and their amount" in page and "To answer" in page
    page = client.get(f"/aide/mes-demandes/{ticket.reference}/").content.decode()
    assert "My 2025 rights are missing." in page and "the answer will also be shown here" in page

    agent = agent_browser()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agent.post(
            f"/gestion/assistance/{ticket.pk}/repondu/",
            {"answer": "Your employer declared your hours late: they arrive next month.", "note": "DSN late"},
        )
    (email,) = mailoutbox
    assert email.to == [holder.user.email] and ticket.reference in email.subject
    assert "they arrive next month" in email.body and "DSN late" not in email.body

    page = client.get(f"/aide/mes-demandes/{ticket.reference}/").content.decode()
    assert "they arrive next month" in page and "Answered" in page
    assert "DSN late" not in page  # the agents' note stays among agents


def agent_browser():
    from django.test import Client

    agent_client = Client()
    agent_sign_in(agent_client, make_agent())
    return agent_client


def test_another_persons_request_is_a_404_and_not_listed(client, english):
    owner, other = HolderFactory(), HolderFactory()
    theirs = ticket_create(subject="other", message="A question of someone else.", email=owner.user.email)
    Ticket.objects.filter(pk=theirs.pk).update(user=owner.user)
    client.force_login(other.user)
    assert theirs.reference not in client.get("/aide/mes-demandes/").content.decode()
    assert client.get(f"/aide/mes-demandes/{theirs.reference}/").status_code == 404
    assert client.get("/aide/mes-demandes/AST-9999-999999/").status_code == 404
    assert client.get("/aide/mes-demandes/" + "x" * 500 + "/").status_code == 404


def test_signed_out_requests_join_the_account_whose_address_is_confirmed_only(client, english):
    confirmed = HolderFactory()
    sent_signed_out = ticket_create(
        subject="account", message="I cannot finish creating my account.", email=confirmed.user.email.upper()
    )
    client.force_login(confirmed.user)
    page = client.get("/aide/mes-demandes/").content.decode()
    assert sent_signed_out.reference in page
    assert client.get(f"/aide/mes-demandes/{sent_signed_out.reference}/").status_code == 200

    unconfirmed = UserFactory(unconfirmed=True)
    squatted = ticket_create(
        subject="account", message="Written with an address not confirmed.", email=unconfirmed.email
    )
    client.force_login(unconfirmed)
    page = client.get("/aide/mes-demandes/").content.decode()
    assert squatted.reference not in page and "once your email address is confirmed" in page
    assert client.get(f"/aide/mes-demandes/{squatted.reference}/").status_code == 404


def test_signed_out_the_pages_ask_to_sign_in(client):
    response = client.get("/aide/mes-demandes/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
