from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("National identity card")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")


class Situation(models.TextChoices):
    """Situations that move money (DESIGN §2.2, §2.5): they count only once an agent has confirmed a proof."""

    JOB_SEEKER = "job_seeker", _("Job seeker")
    LOW_QUALIFIED = "low_qualified", _("No certification of level 3")
    DISABLED_WORKER = "disabled_worker", _("Disabled worker (BOETH)")
    C2P = "c2p", _("Professional prevention account (C2P)")
    WORK_ACCIDENT = "work_accident", _("Work accident or occupational disease")


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class AbroadReason(models.TextChoices):
    POSTED_WORKER = "posted_worker", _("Posted worker")
    CROSS_BORDER = "cross_border", _("Cross-border worker")
    MOVED_ABROAD = "moved_abroad", _("I moved abroad")
    OTHER = "other", _("Other reason")


class Acr(models.TextChoices):
    """FranceConnect's levels of assurance (`acr`): eidas1 is FranceConnect, eidas2 and eidas3 FranceConnect+."""

    EIDAS1 = "eidas1", _("Low (FranceConnect)")
    EIDAS2 = "eidas2", _("Substantial (FranceConnect+)")
    EIDAS3 = "eidas3", _("High (FranceConnect+)")


# DESIGN §2.5: an identity proven at eIDAS "substantial" or above makes the holder verified; eidas1 only links.
VERIFYING_ACRS = frozenset({Acr.EIDAS2, Acr.EIDAS3})


class FederationPurpose(models.TextChoices):
    VERIFY = "verify", _("Verify the identity of the signed-in holder")
    SIGN_IN = "sign_in", _("Sign in to a linked account")


class MatchPoint(models.TextChoices):
    """What a federated identity is compared on with the holder's account (`franceconnect.matching`)."""

    FAMILY_NAME = "family_name", _("birth name")
    GIVEN_NAMES = "given_names", _("first names")
    BIRTHDATE = "birthdate", _("birth date")
    SEX = "sex", _("sex")
    BIRTHPLACE = "birthplace", _("place of birth")
