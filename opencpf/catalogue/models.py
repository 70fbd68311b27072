from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.catalogue.enums import BankChangeState, CertificationKind, Modality, OrganisationRole, OrganisationStatus


class Organisation(models.Model):
    """A training organisation (organisme de formation): SIRET, activity declaration, Qualiopi, status."""

    name = models.CharField(_("name"), max_length=250)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True)
    activity_declaration_number = models.CharField(_("activity declaration number"), max_length=11, blank=True)
    qualiopi_certificate = models.CharField(_("Qualiopi certificate"), max_length=100, blank=True)
    qualiopi_expires_on = models.DateField(_("Qualiopi certificate valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING
    )
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    description = models.TextField(_("presentation"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, db_default="")
    # Payments wait `OPENCPF_IBAN_CHANGE_HOLD_DAYS` after this (catalogue.selectors.bank_details_hold_threshold).
    iban_changed_at = models.DateTimeField(_("bank details changed on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training organisation")
        verbose_name_plural = _("training organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrganisationStatus.values), name="organisation_status_valid"
            ),
            models.CheckConstraint(condition=Exact(Length("siret"), 14), name="organisation_siret_14_chars"),
            models.CheckConstraint(
                condition=Q(activity_declaration_number="") | Q(Exact(Length("activity_declaration_number"), 11)),
                name="organisation_nda_11_chars",
            ),
        ]

    def __str__(self):
        return self.name

    def qualiopi_valid_on(self, day) -> bool:
        return self.qualiopi_expires_on is not None and self.qualiopi_expires_on >= day


class OrganisationMember(models.Model):
    """A user of role organisation_staff who acts for an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    created_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="organisation_member_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


class OrganisationMemberRole(models.Model):
    """One role of a member (opencpf.catalogue.enums.OrganisationRole); a member holds one or more."""

    member = models.ForeignKey(OrganisationMember, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=OrganisationRole.choices)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(fields=["member", "role"], name="organisation_member_role_unique"),
            models.CheckConstraint(condition=Q(role__in=OrganisationRole.values), name="organisation_role_valid"),
        ]


class OrganisationInvitation(models.Model):
    """An access manager's invitation to join the organisation's staff: a link by email, stored as a keyed digest,
    used once before it expires, or revoked."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    roles = models.JSONField(_("roles"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="organisation_invitation_accepted_or_revoked",
            ),
        ]


class OrganisationApiKey(models.Model):
    """A key for the organisation's own software: named, scoped, shown once, stored as a keyed digest, revocable.
    It acts through its own account (`user`, no password, member with the roles of its scopes), so that the
    services check it like a person and the audit names it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organisation_api_key"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("start of the key"), max_length=16)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Certification(models.Model):
    """What a training leads to: an RNCP or RS certification, or one of the other eligible kinds."""

    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("RNCP37274, RS5464, VAE…"))
    kind = models.CharField(_("kind"), max_length=32, choices=CertificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True, help_text=_("European level, 1 to 8"))
    is_active = models.BooleanField(_("active"), default=True)
    # Registration in the directory (France compétences): sessions must run within it. Empty: not known.
    valid_from = models.DateField(_("registered from"), null=True, blank=True)
    valid_until = models.DateField(_("registered until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CertificationKind.values), name="certification_kind_valid"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=8), name="certification_level_1_8"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="certification_code_not_empty"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="certification_validity_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"


class Offer(models.Model):
    """A training offered by an organisation, leading to a certification."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="offers")
    external_number = models.CharField(_("training number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("highlights"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True, db_default="")
    price = models.DecimalField(_("price incl. tax"), max_digits=10, decimal_places=2)
    hours = models.DecimalField(_("duration in hours"), max_digits=7, decimal_places=1)
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices, default=Modality.ON_SITE)
    is_active = models.BooleanField(_("published"), default=True)
    # Set by an agent's sanction (partial delisting, opencpf.scams): out of search, no new file, until lifted.
    delisted_at = models.DateTimeField(_("delisted on"), null=True, blank=True)
    rating_average = models.DecimalField(_("average rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    rating_details = models.JSONField(_("average rating per criterion"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every change that alters the offer's search entry: the index catches up from it.
    search_changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("training offer")
        verbose_name_plural = _("training offers")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="offer_price_not_negative"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="offer_hours_positive"),
            models.CheckConstraint(condition=Q(modality__in=Modality.values), name="offer_modality_valid"),
            models.CheckConstraint(
                condition=Q(rating_count=0, rating_average__isnull=True)
                | Q(rating_count__gt=0, rating_average__gte=1, rating_average__lte=5),
                name="offer_rating_consistent",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_number"],
                condition=~Q(external_number=""),
                name="offer_external_number_unique_per_organisation",
            ),
        ]

    def __str__(self):
        return self.title


class Session(models.Model):
    """One run of an offer: dates, place (a French commune) or remote, seats."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="sessions")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_remote = models.BooleanField(_("remote"), default=False)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    insee_code = models.CharField(_("commune code"), max_length=5, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: no limit"))
    is_active = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["offer", "start_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(is_remote=True)
                | (~Q(postal_code="") & ~Q(insee_code="") & Q(latitude__isnull=False, longitude__isnull=False)),
                name="session_remote_or_placed",
            ),
        ]

    def __str__(self):
        return f"{self.offer} — {self.start_date}"

    @property
    def place_label(self) -> str:
        return f"{self.city} ({self.postal_code})" if not self.is_remote else str(_("Remote"))


class BankDetailsChange(models.Model):
    """A new IBAN asked by an API key (or a signed-in caller of the API): it changes nothing until a person of the
    organisation confirms it in the space (opencpf.catalogue.services.bank_changes). One waits at a time."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bank_changes")
    iban = models.CharField(_("IBAN"), max_length=34)
    state = models.CharField(
        _("state"), max_length=16, choices=BankChangeState.choices, default=BankChangeState.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bank details change")
        verbose_name_plural = _("bank details changes")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=BankChangeState.values), name="bank_change_state_valid"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state=BankChangeState.PENDING),
                name="bank_change_one_pending_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(state=BankChangeState.PENDING, decided_at__isnull=True)
                | (~Q(state=BankChangeState.PENDING) & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="bank_change_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")), name="bank_change_decided_by_another"
            ),
        ]
