from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.identity.enums import AccessRequestStatus, Acr, CheckStatus, DocumentKind, Situation


class IdentityCheck(models.Model):
    """An ID document sent for an agent to check (DESIGN §2.5): by a signed-in holder to become verified, or
    anonymously by someone who finds "their" NIR taken, to recover the account (`recovery`, with a new email)."""

    reference = models.CharField(max_length=20, unique=True)
    holder = models.ForeignKey(
        "accounts.Holder", on_delete=models.PROTECT, null=True, blank=True, related_name="identity_checks"
    )
    recovery = models.BooleanField(default=False)
    # What the anonymous requester claims (never trusted before an agent compares it with the document).
    claimed_nir = models.CharField(max_length=15, blank=True)
    claimed_birth_date = models.DateField(null=True, blank=True)
    claimed_last_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(max_length=254)
    document_kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    document_storage_name = models.CharField(max_length=64, blank=True)
    document_content_type = models.CharField(max_length=64, blank=True)
    document_deleted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=CheckStatus.values), name="identity_check_status"),
            models.CheckConstraint(
                condition=models.Q(document_kind__in=DocumentKind.values), name="identity_check_document_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(status=CheckStatus.PENDING, decided_at__isnull=True)
                | (~models.Q(status=CheckStatus.PENDING) & models.Q(decided_at__isnull=False)),
                name="identity_check_decided_has_date",
            ),
        ]

    def __str__(self):
        return self.reference


class StatusProof(models.Model):
    """A situation that moves money, declared by the holder (at registration, on "My information" or with a proof):
    it counts only once an agent approves it; until then the holder sees it pending."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.CASCADE, related_name="status_proofs")
    situation = models.CharField(max_length=32, choices=Situation.choices)
    rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)  # work accident, a share
    document_storage_name = models.CharField(max_length=64, blank=True)
    document_content_type = models.CharField(max_length=64, blank=True)
    document_deleted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("status proof")
        verbose_name_plural = _("status proofs")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=CheckStatus.values), name="status_proof_status"),
            models.CheckConstraint(condition=models.Q(situation__in=Situation.values), name="status_proof_situation"),
            models.CheckConstraint(
                condition=models.Q(situation=Situation.WORK_ACCIDENT, rate__gte=0, rate__lte=1)
                | (~models.Q(situation=Situation.WORK_ACCIDENT) & models.Q(rate__isnull=True)),
                name="status_proof_rate_for_work_accident",
            ),
            models.UniqueConstraint(
                fields=["holder", "situation"],
                condition=models.Q(status=CheckStatus.PENDING),
                name="status_proof_one_pending_per_situation",
            ),
        ]


class AccessRequest(models.Model):
    """A holder abroad asks for personal access (DESIGN §2.7): filed without signing in (they are locked out)."""

    reference = models.CharField(max_length=20, unique=True)
    holder = models.ForeignKey(
        "accounts.Holder", on_delete=models.PROTECT, null=True, blank=True, related_name="access_requests"
    )
    nir = models.CharField(max_length=15, db_index=True)
    birth_date = models.DateField()
    email = models.EmailField(max_length=254)
    country = models.CharField(max_length=2)
    reason = models.TextField()
    phone_abroad = models.CharField(max_length=32, blank=True)
    address_abroad = models.TextField(blank=True)
    proof_storage_name = models.CharField(max_length=64, blank=True)
    proof_content_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING)
    until = models.DateField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access request from abroad")
        verbose_name_plural = _("access requests from abroad")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AccessRequestStatus.values), name="access_request_status"
            ),
            # Deduplicated: one pending request per NIR.
            models.UniqueConstraint(
                fields=["nir"],
                condition=models.Q(status=AccessRequestStatus.PENDING),
                name="access_request_one_pending_per_nir",
            ),
        ]

    def __str__(self):
        return self.reference


class FederationLink(models.Model):
    """A holder's account linked to an identity of an OpenID Connect provider (FranceConnect, DESIGN §2.5): the
    provider's `sub` for this service, so that the holder can sign in with it. Made only when the identity matched."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.CASCADE, related_name="federation_links")
    issuer = models.CharField(max_length=255)
    sub = models.CharField(max_length=255)
    acr = models.CharField(_("level of assurance"), max_length=16, choices=Acr.choices)
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("FranceConnect link")
        verbose_name_plural = _("FranceConnect links")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="federation_link_one_account_per_identity"),
            models.UniqueConstraint(fields=["holder", "issuer"], name="federation_link_one_identity_per_holder"),
            models.CheckConstraint(condition=models.Q(acr__in=Acr.values), name="federation_link_acr_valid"),
        ]

    def __str__(self):
        return f"{self.issuer} {self.sub}"
