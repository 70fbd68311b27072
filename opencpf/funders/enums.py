from django.db import models
from django.utils.translation import gettext_lazy as _

from opencpf.rights.enums import FunderKind

# The kinds of organisation that have a funder space (DESIGN §2.8); the ledger knows more kinds (State, Agefiph…)
# that agents may still record through the agent API.
ORGANISATION_KINDS = (FunderKind.EMPLOYER, FunderKind.FRANCE_TRAVAIL, FunderKind.REGION, FunderKind.OPCO)
ORGANISATION_KIND_CHOICES = [(kind.value, kind.label) for kind in ORGANISATION_KINDS]


class FileTopUpStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the funder's answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
