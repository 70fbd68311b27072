"""Messages sent through the contact form, handled by agents in the back office as tickets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.support.enums import TICKET_STATUS_BADGES, Subject, TicketStatus


def ticket_email(email: str | None) -> str:
    """The address a ticket is filed under and looked up by: one spelling for both (trimmed, lower case)."""
    return (email or "").strip().lower()


class Ticket(models.Model):
    # AST-2026-000123: the year of filing and the ticket's number, given once the row exists.
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=32, choices=Subject.choices)
    message = models.TextField(_("message"))
    email = models.EmailField(_("email"), max_length=254)
    # Set when the sender was signed in: agents then see whose account it is.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_tickets"
    )
    language = models.CharField(max_length=8, default="fr")
    status = models.CharField(_("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agent_note = models.TextField(_("agent's note"), blank=True)
    # What the agent answered: emailed to the sender and shown in their account (the note stays among agents).
    answer = models.TextField(_("answer"), blank=True, db_default="")

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        indexes = [models.Index(fields=["status", "-created_at"], name="support_ticket_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(subject__in=Subject.values), name="support_ticket_subject_valid"),
            models.CheckConstraint(condition=Q(status__in=TicketStatus.values), name="support_ticket_status_valid"),
            models.CheckConstraint(
                condition=Q(status=TicketStatus.OPEN) | Q(handled_at__isnull=False, handled_by__isnull=False),
                name="support_ticket_handled_dated",
            ),
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def badge_class(self) -> str:
        return TICKET_STATUS_BADGES[self.status]

    @property
    def is_open(self) -> bool:
        """Waiting for an agent's answer."""
        return self.status == TicketStatus.OPEN

    # What an agent may do in this status: the services check these, the back office shows the buttons by them.
    @property
    def can_be_marked_answered(self) -> bool:
        return self.is_open

    @property
    def can_be_closed(self) -> bool:
        return self.status != TicketStatus.CLOSED
