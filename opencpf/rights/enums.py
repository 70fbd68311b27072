from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    YEARLY_CREDIT = "yearly_credit", _("Yearly credit")
    TOP_UP = "top_up", _("Top-up")
    ENGAGEMENT = "engagement", _("Used for a training")
    RESTORATION = "restoration", _("Rights restored")
    FORFEITURE = "forfeiture", _("Rights forfeited")
    PAYMENT = "payment", _("Paid to the training organisation")
    EXPIRY = "expiry", _("Top-up expired")
    FUNDER_RETURN = "funder_return", _("Returned to the funder")
    CORRECTION = "correction", _("Correction by the Caisse des Dépôts")
    CLOSURE = "closure", _("Account closed")


# Movements out of the rights engaged for a file: they leave the account for good (paid to an organisation, or
# lost), from money that had already left the balance when the file was accepted, so they do not move it.
SETTLEMENT_KINDS = frozenset({MovementKind.PAYMENT, MovementKind.FORFEITURE})


class Bucket(models.TextChoices):
    """The one bucket enum of the project: where a euro of the account sits (and the ledger's "none")."""

    ACQUIRED = "acquired", _("Acquired rights")
    TOP_UP = "top_up", _("Top-ups")
    NONE = "none", _("No change to the balance")


class FunderKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    OPCO = "opco", _("Skills operator (OPCO)")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    REGION = "region", _("Region")
    STATE = "state", _("State")
    AGEFIPH = "agefiph", _("Agefiph")
    OTHER = "other", _("Other funder")


# Funders whose co-funding exempts the holder from the flat contribution (DESIGN §2.2).
CONTRIBUTION_EXEMPTING_FUNDERS = frozenset({FunderKind.EMPLOYER, FunderKind.OPCO})


class AbsenceKind(models.TextChoices):
    """Absences an employer declares; `rights/absences_counted_as_work` says which count as time worked."""

    MATERNITY = "maternity", _("Maternity leave")
    PATERNITY = "paternity", _("Paternity and childcare leave")
    ADOPTION = "adoption", _("Adoption leave")
    PARENTAL_PRESENCE = "parental_presence", _("Parental presence leave")
    PARENTAL_LEAVE = "parental_leave", _("Parental education leave")
    CARER = "carer", _("Carer leave")
    WORK_ACCIDENT = "work_accident", _("Work accident")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("Occupational disease")
    SICK_LEAVE = "sick_leave", _("Ordinary sick leave")
    PARTIAL_ACTIVITY = "partial_activity", _("Partial activity")


# Between the (English, translated at display) label and the free text of a stored movement reason.
REASON_SEPARATOR = " — "
