import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.advisors.enums import (
    APPOINTMENT_STATUS_BADGES,
    OPEN_STATUSES,
    AppointmentMode,
    AppointmentStatus,
    AppointmentSubject,
    HalfDay,
    Network,
    SiteStatus,
)


class AdvisorSite(models.Model):
    """A place where a career advice network receives people (or, when `remote_only`, a phone/video service)."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("The site's identifier in the CSV."))
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5)
    city = models.CharField(_("city"), max_length=120)
    latitude = models.FloatField()
    longitude = models.FloatField()
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SiteStatus.choices, default=SiteStatus.OPEN)
    remote_only = models.BooleanField(_("phone and video only"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("advisor site")
        verbose_name_plural = _("advisor sites")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SiteStatus.values), name="advisor_site_status_valid"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="advisor_site_coordinates_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == SiteStatus.OPEN


class AdvisorSiteNetwork(models.Model):
    """One network a site serves (a site may serve several, e.g. a Mission locale that is also a Cap emploi)."""

    site = models.ForeignKey(AdvisorSite, on_delete=models.CASCADE, related_name="networks")
    network = models.CharField(_("network"), max_length=32, choices=Network.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "network"], name="advisor_site_network_unique"),
            models.CheckConstraint(condition=Q(network__in=Network.values), name="advisor_site_network_valid"),
        ]
        indexes = [models.Index(fields=["network", "site"])]


class AdvisorMembership(models.Model):
    """An advisor works for a site: they see and answer that site's appointment requests."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_memberships")
    site = models.ForeignKey(AdvisorSite, on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="advisor_membership_unique")]


class Appointment(models.Model):
    """A holder's request for an appointment with a site, and what became of it."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="appointments")
    site = models.ForeignKey(AdvisorSite, on_delete=models.PROTECT, related_name="appointments")
    network = models.CharField(_("network"), max_length=32, choices=Network.choices)
    subject = models.CharField(_("subject"), max_length=32, choices=AppointmentSubject.choices)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    mode = models.CharField(_("mode"), max_length=16, choices=AppointmentMode.choices)
    # [{"date": "2026-12-01", "half_day": "morning"}, …]: 2 or 3 choices in the future, checked by the service.
    preferred_slots = models.JSONField(_("preferred slots"))
    share_balance = models.BooleanField(_("share my rights balance"), default=False)
    share_dossiers = models.BooleanField(_("share my training files"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.REQUESTED
    )
    proposed_at = models.DateTimeField(_("appointment on"), null=True, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    advisor_message = models.TextField(_("advisor's message"), blank=True, max_length=2000)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["site", "status", "-created_at"]),
            models.Index(fields=["holder", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AppointmentStatus.values), name="appointment_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=AppointmentMode.values), name="appointment_mode_valid"),
            models.CheckConstraint(condition=Q(network__in=Network.values), name="appointment_network_valid"),
            models.CheckConstraint(
                condition=Q(subject__in=AppointmentSubject.values), name="appointment_subject_valid"
            ),
            # One request in progress per holder and site (a double click or two tabs make one request).
            models.UniqueConstraint(
                fields=["holder", "site"],
                condition=Q(status__in=[AppointmentStatus.REQUESTED, AppointmentStatus.PROPOSED]),
                name="appointment_one_open_per_site",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.DECLINED) | ~Q(decline_reason=""),
                name="appointment_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[AppointmentStatus.PROPOSED, AppointmentStatus.HELD])
                | Q(proposed_at__isnull=False),
                name="appointment_proposed_has_slot",
            ),
        ]

    def __str__(self):
        return f"{self.holder} — {self.site}"

    @property
    def is_open(self) -> bool:
        """Still waiting for its appointment: the advisor may propose or decline, the holder may cancel."""
        return self.status in OPEN_STATUSES

    @property
    def is_proposed(self) -> bool:
        return self.status == AppointmentStatus.PROPOSED

    @property
    def is_declined(self) -> bool:
        return self.status == AppointmentStatus.DECLINED

    def can_be_marked_held(self, now: datetime.datetime) -> bool:
        """Only a proposed appointment, once its moment has come (the service checks it, the page offers it)."""
        return self.is_proposed and self.proposed_at <= now

    @property
    def badge_class(self) -> str:
        return APPOINTMENT_STATUS_BADGES[self.status]

    @property
    def slot_choices(self) -> list[tuple[datetime.date, str]]:
        """The preferred slots as (day, "Morning"/"Afternoon" in the active language)."""
        return [(datetime.date.fromisoformat(s["date"]), HalfDay(s["half_day"]).label) for s in self.preferred_slots]
