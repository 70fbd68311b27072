"""Contact messages: filed by anyone (signed in or not), rate-limited, acknowledged by email with their reference;
agents mark them answered or closed, each step audited."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts import services as accounts
from opencpf.accounts.models import User
from opencpf.accounts.validators import validate_email_scripts
from opencpf.support.enums import Subject, TicketStatus
from opencpf.support.models import Ticket, ticket_email
from opencpf.utils.emails import send_email
from opencpf.utils.text import clean_text, has_nul

MAX_MESSAGE = 5000
MIN_MESSAGE = 10
# Enough for a person who writes again after a mistake; not enough to flood the agents' queue.
TICKETS_PER_HOUR_PER_ADDRESS = 5
TICKETS_PER_DAY_PER_EMAIL = 5


class SupportError(Exception):
    def __init__(self, errors: dict[str, list[str]], *, status: int = 400, code: str = "invalid"):
        super().__init__(errors)
        self.errors, self.status, self.code = errors, status, code


def _reference(ticket: Ticket) -> str:
    return f"AST-{timezone.localtime(ticket.created_at):%Y}-{ticket.pk:06d}"


def _rate_limit(*, ip: str | None, email: str, now: datetime.datetime) -> None:
    recent = Ticket.objects.filter(created_at__gt=now - datetime.timedelta(hours=1))
    by_address = ip is not None and recent.filter(ip_address=ip).count() >= TICKETS_PER_HOUR_PER_ADDRESS
    by_email = (
        Ticket.objects.filter(created_at__gt=now - datetime.timedelta(days=1), email=email).count()
        >= TICKETS_PER_DAY_PER_EMAIL
    )
    if by_address or by_email:
        raise SupportError(
            {"__all__": [_("Too many messages were sent in a short time. Please try again later.")]},
            status=429,
            code="rate_limited",
        )


@transaction.atomic
def ticket_create(
    *,
    subject: str,
    message: str,
    email: str,
    user: User | None = None,
    ip: str | None = None,
    language: str = "fr",
) -> Ticket:
    """Checks everything before writing; the receipt leaves once the ticket is committed."""
    errors: dict[str, list[str]] = {}
    if subject not in Subject.values:
        errors["subject"] = [_("Choose a subject from the list.")]
    if has_nul(message or ""):
        errors["message"] = [_("The message contains a character that cannot be sent (NUL). Remove it and retry.")]
    else:
        message = clean_text(message)
        if len(message) < MIN_MESSAGE:
            errors["message"] = [
                _("Describe your question in a few words (at least %(count)s characters).") % {"count": MIN_MESSAGE}
            ]
        elif len(message) > MAX_MESSAGE:
            errors["message"] = [_("The message is too long: at most %(count)s characters.") % {"count": MAX_MESSAGE}]
    email = ticket_email(email)
    try:
        validate_email(email)
        validate_email_scripts(email)
    except ValidationError as error:
        errors["email"] = list(error.messages)
    if errors:
        raise SupportError(errors)
    now = timezone.now()
    _rate_limit(ip=ip, email=email, now=now)
    signed_in = user if user is not None and user.is_authenticated else None
    ticket = Ticket.objects.create(
        subject=subject,
        message=message,
        email=email,
        user=signed_in,
        language=signed_in.language if signed_in else language,
        ip_address=ip,
        created_at=now,
    )
    ticket.reference = _reference(ticket)
    ticket.save(update_fields=["reference"])
    accounts.audit(actor=signed_in, action="support_ticket_filed", target=f"support_ticket:{ticket.pk}", ip=ip)
    context = {"reference": ticket.reference, "subject": ticket.get_subject_display(), "message": ticket.message}
    to, language = ticket.email, ticket.language
    transaction.on_commit(
        lambda: send_email(to=to, template_prefix="emails/support_ticket", context=context, language=language)
    )
    return ticket


def _refused(ticket: Ticket) -> SupportError:
    if ticket.status == TicketStatus.CLOSED:
        return SupportError({"__all__": [_("This ticket is already closed.")]}, status=409, code="closed")
    return SupportError({"__all__": [_("This ticket is already answered.")]}, status=409, code="answered")


def _handle(*, ticket_id: int, agent: User, status: str, note: str, ip: str | None, answer: str = "") -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise SupportError({"__all__": [_("Not found.")]}, status=404, code="not_found")
    # The rule the back office shows its buttons by: a late click (another tab, another agent) is refused.
    allowed = ticket.can_be_marked_answered if status == TicketStatus.ANSWERED else ticket.can_be_closed
    if not allowed:
        raise _refused(ticket)
    if has_nul(note or ""):
        raise SupportError({"note": [_("The note contains a character that cannot be saved (NUL).")]})
    if has_nul(answer or ""):
        raise SupportError({"answer": [_("The answer contains a character that cannot be sent (NUL).")]})
    ticket.status = status
    ticket.handled_at = timezone.now()
    ticket.handled_by = agent
    if note := clean_text(note or "")[:MAX_MESSAGE]:
        ticket.agent_note = note
    if answer := clean_text(answer or "")[:MAX_MESSAGE]:
        ticket.answer = answer
    ticket.save(update_fields=["status", "handled_at", "handled_by", "agent_note", "answer"])
    accounts.audit(actor=agent, action=f"support_ticket_{status}", target=f"support_ticket:{ticket.pk}", ip=ip)
    if answer:
        context = {"reference": ticket.reference, "subject": ticket.get_subject_display(), "answer": answer}
        to, language = ticket.email, ticket.language
        transaction.on_commit(
            lambda: send_email(to=to, template_prefix="emails/support_answer", context=context, language=language)
        )
    return ticket


@transaction.atomic
def ticket_mark_answered(
    *, ticket_id: int, agent: User, note: str = "", answer: str = "", ip: str | None = None
) -> Ticket:
    """The answer, if written here, is emailed to the sender and shown in their account ("My help requests")."""
    return _handle(ticket_id=ticket_id, agent=agent, status=TicketStatus.ANSWERED, note=note, answer=answer, ip=ip)


@transaction.atomic
def ticket_close(*, ticket_id: int, agent: User, note: str = "", answer: str = "", ip: str | None = None) -> Ticket:
    return _handle(ticket_id=ticket_id, agent=agent, status=TicketStatus.CLOSED, note=note, answer=answer, ip=ip)
