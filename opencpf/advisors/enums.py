from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.TextChoices):
    """The career advice (CEP) networks, each serving one public (Code du travail L6111-6)."""

    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    APEC = "apec", _("Apec")
    CAP_EMPLOI = "cap_emploi", _("Cap emploi")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    REGIONAL_OPERATOR = "regional_operator", _("Regional operator for employed people")
    ABROAD = "abroad", _("Advice for French people abroad")


class SiteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AppointmentMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class HalfDay(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


class AppointmentSubject(models.TextChoices):
    PROJECT = "project", _("Build or clarify a career project")
    TRAINING = "training", _("Choose a training and fund it")
    RETRAINING = "retraining", _("Change job or sector")
    SKILLS = "skills", _("Take stock of my skills")
    BUSINESS = "business", _("Create or take over a business")


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROPOSED = "proposed", _("Slot proposed")
    DECLINED = "declined", _("Declined")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled by the holder")


# A request still waiting for its appointment; the holder may have one per site.
OPEN_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.PROPOSED)

# The DSFR badge of an appointment's status; a request the holder cancelled stays grey (no colour).
APPOINTMENT_STATUS_BADGES = {
    AppointmentStatus.REQUESTED: "fr-badge--new",
    AppointmentStatus.PROPOSED: "fr-badge--info",
    AppointmentStatus.DECLINED: "fr-badge--error",
    AppointmentStatus.HELD: "fr-badge--success",
    AppointmentStatus.CANCELLED: "",
}
