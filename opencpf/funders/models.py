"""Funders (DESIGN §2.8): an organisation (employer with its SIRET, France Travail, a region, an OPCO), the users who
act for it, and the supplementary credits it put on holders' accounts (each one a `rights.TopUp`: the money and its
movements stay in the rights ledger; this only says which organisation credited it, and who)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.funders.enums import ORGANISATION_KIND_CHOICES, ORGANISATION_KINDS, FileTopUpStatus
from opencpf.rights.enums import FunderKind


class FunderOrganisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ORGANISATION_KIND_CHOICES)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in ORGANISATION_KINDS]), name="funder_kind_valid"
            ),
            # An employer is known by its SIRET (the establishment that pays).
            models.CheckConstraint(
                condition=~Q(kind=FunderKind.EMPLOYER) | Q(siret__regex=r"^[0-9]{14}$"), name="funder_employer_siret"
            ),
            models.UniqueConstraint(fields=["siret"], condition=~Q(siret=""), name="funder_siret_unique"),
        ]

    def __str__(self):
        return self.name


class FunderMember(models.Model):
    """A user of role funder who acts for one organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_member")
    organisation = models.ForeignKey(FunderOrganisation, on_delete=models.PROTECT, related_name="members")
    created_at = models.DateTimeField(default=timezone.now)


class FunderCredit(models.Model):
    """A supplementary credit ("alimentation") an organisation put on a holder's account."""

    organisation = models.ForeignKey(FunderOrganisation, on_delete=models.PROTECT, related_name="credits")
    top_up = models.OneToOneField("rights.TopUp", on_delete=models.PROTECT, related_name="funder_credit")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("The CSV file and line, if any."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "created_at"], name="funder_credit_org_idx")]


class FileTopUpRequest(models.Model):
    """A holder asks a funder to cover what their rights leave unpaid on one training file ("abondement"). Granted,
    it becomes a file top-up (`rights.TopUp.for_dossier_id`) that the funding plan uses last, at acceptance."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(FunderOrganisation, on_delete=models.PROTECT, related_name="file_requests")
    status = models.CharField(
        _("status"), max_length=16, choices=FileTopUpStatus.choices, default=FileTopUpStatus.REQUESTED
    )
    amount_asked = models.DecimalField(_("amount asked"), max_digits=9, decimal_places=2)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    amount_granted = models.DecimalField(_("amount granted"), max_digits=9, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    top_up = models.OneToOneField("rights.TopUp", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(status__in=FileTopUpStatus.values), name="file_top_up_status_valid"),
            models.CheckConstraint(condition=Q(amount_asked__gt=0), name="file_top_up_asked_positive"),
            models.CheckConstraint(
                condition=~Q(status=FileTopUpStatus.GRANTED) | Q(amount_granted__gt=0, top_up__isnull=False),
                name="file_top_up_granted_shape",
            ),
            # One open request per file and funder: asking twice does not ask for twice the money.
            models.UniqueConstraint(
                fields=["dossier", "organisation"],
                condition=Q(status=FileTopUpStatus.REQUESTED),
                name="file_top_up_one_open_request",
            ),
        ]
