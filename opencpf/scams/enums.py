from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    """The situations of the public-service sheet, plus cold-calling (illegal since L6323-8-1)."""

    REGISTERED_WITHOUT_CONSENT = "registered_without_consent", _("I was registered for a training without knowing it")
    ACCOUNT_HACKED = "account_hacked", _("I can no longer sign in: I think my account was hacked")
    IDENTITY_SHARED = "identity_shared", _("I gave my identity or social security number to a suspicious organisation")
    COLD_CALLING = "cold_calling", _("An organisation cold-called me about my training account")


class ReportStatus(models.TextChoices):
    NEW = "new", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    CONFIRMED = "confirmed", _("Scam confirmed")
    REJECTED = "rejected", _("Not confirmed")


OPEN_REPORT_STATUSES = frozenset({ReportStatus.NEW, ReportStatus.UNDER_REVIEW, ReportStatus.INFO_REQUESTED})
DECIDED_REPORT_STATUSES = frozenset({ReportStatus.CONFIRMED, ReportStatus.REJECTED})

# The DSFR badge of a report's status on the reporter's page: in progress (info), then the decision.
REPORT_STATUS_BADGES = {
    ReportStatus.NEW: "fr-badge--info",
    ReportStatus.UNDER_REVIEW: "fr-badge--info",
    ReportStatus.INFO_REQUESTED: "fr-badge--info",
    ReportStatus.CONFIRMED: "fr-badge--success",
    ReportStatus.REJECTED: "fr-badge--warning",
}


class FreezeOutcome(models.TextChoices):
    ACTIVE = "active", _("Frozen")
    CANCELLED = "cancelled", _("Cancelled for fraud, money restored")
    RELEASED = "released", _("Released, deadlines shifted")
    # A completed file (already settled, the organisation not yet paid): its payment is held for an agent.
    PAYMENT_HELD = "payment_held", _("Organisation's payment held for review")


class SanctionLevel(models.TextChoices):
    """The ladder, mildest first (DESIGN §2.6)."""

    OBSERVATION = "observation", _("Under observation")
    PAYMENTS_SUSPENDED = "payments_suspended", _("Payments suspended")
    PARTIAL_DELISTING = "partial_delisting", _("Partial delisting (chosen offers)")
    DELISTED = "delisted", _("Delisted")


SANCTION_ORDER = tuple(SanctionLevel)


class MessageAuthor(models.TextChoices):
    HOLDER = "holder", _("Account holder")
    AGENT = "agent", _("Caisse des Dépôts agent")
