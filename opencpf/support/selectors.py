import re
import unicodedata

from django.db.models import Q, QuerySet
from django.urls import reverse

from opencpf.support.enums import TicketStatus
from opencpf.support.faq import SECTIONS
from opencpf.support.models import Ticket, ticket_email
from opencpf.utils.text import clean_text


def ticket_queue(*, status: str = TicketStatus.OPEN) -> QuerySet[Ticket]:
    tickets = Ticket.objects.select_related("user", "handled_by").order_by("created_at")
    if status:
        tickets = tickets.filter(status=status)
    return tickets


def ticket_for_agent(ticket_id: int) -> Ticket | None:
    return Ticket.objects.select_related("user", "handled_by").filter(pk=ticket_id).first()


def tickets_of(user) -> QuerySet[Ticket]:
    """A person's own help requests, newest first: those sent signed in, and those sent signed out with the
    address the account has confirmed (their receipts, message included, already went to that mailbox: showing
    them here reveals nothing more, and an account whose address is not confirmed sees only its own)."""
    mine = Q(user=user)
    if user.email_verified_at and user.email:
        mine |= Q(user__isnull=True, email=ticket_email(user.email))
    return Ticket.objects.filter(mine).order_by("-created_at", "-pk")


def ticket_of(user, reference: str) -> Ticket | None:
    return tickets_of(user).filter(reference=reference).first()


# --- help centre -------------------------------------------------------------------------------------------------

MAX_QUERY = 200
# French and English endings cut from a searched word, so that "annuler" finds "annulation" and "cancelling"
# finds "cancel" (longest first; a stem keeps at least 4 letters).
_ENDINGS = sorted(
    ("ations", "ation", "ement", "ments", "ment", "ings", "ing", "ées", "ée", "és", "er", "ez", "es", "ed", "e", "s"),
    key=len,
    reverse=True,
)


def _fold(text: str) -> str:
    """Lower case without accents or invisible characters: "Créer" and "creer" match."""
    text = unicodedata.normalize("NFKD", clean_text(text)).casefold()
    return "".join(char for char in text if not unicodedata.combining(char))


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        folded = _fold(ending)
        if word.endswith(folded) and len(word) - len(folded) >= 4:
            return word[: -len(folded)]
    return word


def faq_terms(query: str) -> list[str]:
    words = re.findall(r"\w+", _fold((query or "").replace("\x00", "")[:MAX_QUERY]))
    return [_stem(word) for word in words if len(word) >= 2]


def faq_sections(query: str = "") -> list[dict]:
    """The help centre in the active language: every section and question, or those whose question or answer holds
    every searched word (accents and case ignored, simple endings cut)."""
    terms = faq_terms(query)
    sections = []
    for section in SECTIONS:
        questions = []
        for item in section.questions:
            answer = item.answer()
            haystack = _fold(" ".join([str(section.title), str(item.question), *answer]))
            if all(term in haystack for term in terms):
                links = [{"url": reverse(name), "title": str(label)} for name, label in item.links]
                questions.append({"slug": item.slug, "question": str(item.question), "answer": answer, "links": links})
        if questions:
            sections.append({"slug": section.slug, "title": str(section.title), "questions": questions})
    return sections
