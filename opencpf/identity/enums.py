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
