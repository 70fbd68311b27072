from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """What a contact message is about: it routes the ticket in the back office."""

    ACCOUNT = "account", _("My account, signing in")
    RIGHTS = "rights", _("My rights and their amount")
    TRAINING = "training", _("Finding a training, registering")
    DOSSIER = "dossier", _("A training file in progress (answer, cancellation, payment)")
    IDENTITY = "identity", _("Verifying my identity")
    ABROAD = "abroad", _("Using my account from abroad")
    SCAM = "scam", _("A suspected scam")
    ORGANISATION = "organisation", _("I am a training organisation")
    ACCESSIBILITY = "accessibility", _("Accessibility of the site")
    PERSONAL_DATA = "personal_data", _("My personal data")
    OTHER = "other", _("Something else")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("To answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# The DSFR badge of a ticket's status on the sender's pages: waiting for an agent (info), handled (success).
TICKET_STATUS_BADGES = {
    TicketStatus.OPEN: "fr-badge--info",
    TicketStatus.ANSWERED: "fr-badge--success",
    TicketStatus.CLOSED: "fr-badge--success",
}
