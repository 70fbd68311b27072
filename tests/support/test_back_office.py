"""Agents see contact messages in the back office (open first, oldest first), read one, mark it answered, then
close it; each step is audited with who did it. Nobody else gets in (tests/scams/test_agents_access.py covers
every /gestion/ route)."""

import pytest

from opencpf.accounts.models import AuditEvent
from opencpf.support.models import Ticket
from opencpf.support.services import ticket_create
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    agent = make_agent()
    agent_sign_in(client, agent)
    client.agent = agent
    return client


def test_an_agent_lists_reads_answers_and_closes_a_message(agent_client, english):
    ticket = ticket_create(subject="abroad", message="I live in Montréal and cannot sign in.", email="a@example.fr")
    done = ticket_create(subject="other", message="An older question, answered.", email="b@example.fr")
    Ticket.objects.filter(pk=done.pk).update(
        status="closed", handled_at=done.created_at, handled_by=agent_client.agent
    )

    page = agent_client.get("/gestion/assistance/").content.decode()
    assert ticket.reference in page and done.reference not in page  # open ones by default
    assert done.reference in agent_client.get("/gestion/assistance/", {"status": ""}).content.decode()

    page = agent_client.get(f"/gestion/assistance/{ticket.pk}/").content.decode()
    assert "I live in Montréal and cannot sign in." in page

    response = agent_client.post(f"/gestion/assistance/{ticket.pk}/repondu/", {"note": "Answered by email."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.handled_by, ticket.agent_note) == (
        "answered",
        agent_client.agent,
        "Answered by email.",
    )

    agent_client.post(f"/gestion/assistance/{ticket.pk}/cloturer/", {"note": ""})
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.agent_note == "Answered by email."
    actions = list(
        AuditEvent.objects.filter(target=f"support_ticket:{ticket.pk}", actor=agent_client.agent)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["support_ticket_answered", "support_ticket_closed"]


def test_a_closed_message_cannot_be_reopened_by_a_late_click(agent_client, english):
    ticket = ticket_create(subject="other", message="A question that was closed.", email="c@example.fr")
    agent_client.post(f"/gestion/assistance/{ticket.pk}/cloturer/", {})
    response = agent_client.post(f"/gestion/assistance/{ticket.pk}/repondu/", {}, follow=True)
    assert "This ticket is already closed." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_an_unknown_message_is_a_404(agent_client):
    assert agent_client.get("/gestion/assistance/999999/").status_code == 404
    assert agent_client.post("/gestion/assistance/999999/cloturer/", {}).status_code == 404
