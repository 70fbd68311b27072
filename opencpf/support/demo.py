"""A demo contact message, so the agents' queue of `make run` has one to answer. Idempotent."""

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL
from opencpf.accounts.models import User
from opencpf.support.models import Ticket
from opencpf.support.services import ticket_create


def load(stdout) -> list[str]:
    user = User.objects.filter(email=DEMO_HOLDER_EMAIL).first()
    if user is None:
        return []
    if not Ticket.objects.filter(email=DEMO_HOLDER_EMAIL).exists():
        ticket_create(
            subject="rights",
            message="Bonjour, mes heures de 2025 chez mon second employeur n'apparaissent pas encore. Merci.",
            email=DEMO_HOLDER_EMAIL,
            user=user,
        )
    return ["help          /aide/ (questions), /aide/contact/ (a message becomes a ticket in /gestion/assistance/)"]
