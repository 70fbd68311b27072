"""In every status of a contact message, the back office offers "Mark answered" and "Close" exactly when the
services accept them (the ticket's `can_be_marked_answered` and `can_be_closed`, read by both), and the sender's page
says an answer is coming only while the message is open. A late click on a button no longer shown is refused."""

import pytest
from django.test import Client
from django.utils import timezone

from opencpf.support.enums import TicketStatus
from opencpf.support.models import Ticket
from opencpf.support.services import SupportError, ticket_close, ticket_create, ticket_mark_answered
from tests.accounts.factories import HolderFactory
from tests.probes import service_accepts
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db


def accepted(call) -> bool:
    return service_accepts(call, refusal=SupportError)


def ticket_in(status: TicketStatus, agent, **fields) -> Ticket:
    ticket = ticket_create(subject="other", message="A question about my account.", email="a@example.fr", **fields)
    handled = {} if status == TicketStatus.OPEN else {"handled_at": timezone.now(), "handled_by": agent}
    Ticket.objects.filter(pk=ticket.pk).update(status=status, **handled)
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.parametrize("status", list(TicketStatus))
def test_the_back_office_offers_what_the_services_accept(client, english, status):
    agent = make_agent()
    agent_sign_in(client, agent)
    ticket = ticket_in(status, agent)
    page = client.get(f"/gestion/assistance/{ticket.pk}/").content.decode()
    offered = {
        "answered": f'formaction="/gestion/assistance/{ticket.pk}/repondu/"' in page,
        "close": f'formaction="/gestion/assistance/{ticket.pk}/cloturer/"' in page,
    }
    assert offered == {
        "answered": accepted(lambda: ticket_mark_answered(ticket_id=ticket.pk, agent=agent, note="Done.")),
        "close": accepted(lambda: ticket_close(ticket_id=ticket.pk, agent=agent)),
    }
    assert offered == {"answered": status == TicketStatus.OPEN, "close": status != TicketStatus.CLOSED}


def test_a_late_click_on_mark_answered_is_refused_and_sends_nothing_twice(
    client, english, mailoutbox, django_capture_on_commit_callbacks
):
    agent = make_agent()
    agent_sign_in(client, agent)
    ticket = ticket_create(subject="other", message="A question about my account.", email="a@example.fr")
    url = f"/gestion/assistance/{ticket.pk}/repondu/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": "Here is the answer."})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "The same answer, from a second tab."}, follow=True)
    assert "This ticket is already answered." in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.answer) == (TicketStatus.ANSWERED, "Here is the answer.") and not mailoutbox


@pytest.mark.parametrize("status", list(TicketStatus))
def test_the_senders_page_says_an_answer_is_coming_only_while_open(english, status):
    holder = HolderFactory()
    ticket = ticket_in(status, make_agent(), user=holder.user)
    sender = Client()
    sender.force_login(holder.user)
    page = sender.get(f"/aide/mes-demandes/{ticket.reference}/").content.decode()
    assert ("the answer will also be shown here" in page) == (status == TicketStatus.OPEN)
