"""Scam reports, their evidence, the files they freeze, and the sanctions taken against organisations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.scams.enums import (
    OPEN_REPORT_STATUSES,
    REPORT_STATUS_BADGES,
    FreezeOutcome,
    MessageAuthor,
    ReportStatus,
    SanctionLevel,
    Situation,
)


class Report(models.Model):
    """A holder's report of a scam, filed signed in or anonymously (NIR + birth date + email)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # None when an anonymous reporter's NIR, birth date and email matched no account: kept for the agents, and
    # answered exactly like a match so that nobody learns whether an account exists.
    holder = models.ForeignKey(
        "accounts.Holder", on_delete=models.PROTECT, null=True, blank=True, related_name="scam_reports"
    )
    filed_signed_in = models.BooleanField(default=False)
    situation = models.CharField(_("situation"), max_length=32, choices=Situation.choices)
    description = models.TextField(_("what happened"))
    organisation = models.ForeignKey(
        "catalogue.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="scam_reports"
    )
    organisation_text = models.CharField(_("organisation (name or SIRET)"), max_length=250, blank=True)
    caller_phone = models.CharField(_("number that called you"), max_length=32, blank=True)
    lock_account = models.BooleanField(_("account locked at filing"), default=False)
    # A report on a file another report already froze is attached to that one.
    attached_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="attached_reports"
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.NEW)
    contact_email = models.EmailField(_("email"), max_length=254)
    language = models.CharField(max_length=8, default="fr")
    # Rate limits: who (hashed NIR or account) and from where.
    identity_key = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("scam report")
        verbose_name_plural = _("scam reports")
        indexes = [models.Index(fields=["status", "-created_at"], name="scam_report_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(situation__in=Situation.values), name="scam_report_situation_valid"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="scam_report_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[ReportStatus.CONFIRMED, ReportStatus.REJECTED])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="scam_report_decision_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.REJECTED) | ~Q(decision_note=""),
                name="scam_report_rejection_has_reason",
            ),
        ]
        permissions = [("manage_agents", "Can create agents of the Caisse des Dépôts")]

    def __str__(self):
        return self.reference

    @property
    def badge_class(self) -> str:
        return REPORT_STATUS_BADGES[self.status]

    # What may be done in this status: the review services check these, the pages show the buttons by them.
    @property
    def is_open(self) -> bool:
        """Not decided yet: the reporter may answer, an agent may ask for information, confirm or reject."""
        return self.status in OPEN_REPORT_STATUSES

    @property
    def can_start_review(self) -> bool:
        return self.status == ReportStatus.NEW

    @property
    def is_rejected(self) -> bool:
        return self.status == ReportStatus.REJECTED


class Evidence(models.Model):
    """A file attached to a report: PDF, JPEG or PNG (sniffed), stored outside the web root, shown to agents."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evidence")
    storage_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="scam_evidence_type_allowed",
            )
        ]


class Freeze(models.Model):
    """A training file frozen by a report until an agent decides: no move, no payment."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="freezes")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="freezes")
    frozen_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=FreezeOutcome.choices, default=FreezeOutcome.ACTIVE)
    shifted_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(outcome=FreezeOutcome.ACTIVE), name="scam_freeze_one_active"
            ),
            models.CheckConstraint(condition=Q(outcome__in=FreezeOutcome.values), name="scam_freeze_outcome_valid"),
            models.CheckConstraint(
                condition=Q(outcome=FreezeOutcome.ACTIVE, lifted_at__isnull=True)
                | (~Q(outcome=FreezeOutcome.ACTIVE) & Q(lifted_at__isnull=False)),
                name="scam_freeze_lifted_dated",
            ),
        ]


class ReportMessage(models.Model):
    """What the agent asks and what the holder answers; every status change is told to the holder too."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="messages")
    author_kind = models.CharField(max_length=8, choices=MessageAuthor.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class Sanction(models.Model):
    """One rung of the ladder on an organisation, with its reason and date; lifted the same way."""

    organisation = models.ForeignKey("catalogue.Organisation", on_delete=models.PROTECT, related_name="sanctions")
    level = models.CharField(_("level"), max_length=24, choices=SanctionLevel.choices)
    reason = models.TextField(_("reason"))
    offers = models.ManyToManyField("catalogue.Offer", blank=True, related_name="sanctions")
    started_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=SanctionLevel.values), name="sanction_level_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="sanction_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | (Q(lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="sanction_lift_has_reason",
            ),
        ]
