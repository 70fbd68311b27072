from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    UNDER_OBSERVATION = "under_observation", _("Under observation")
    PAYMENTS_SUSPENDED = "payments_suspended", _("Payments suspended")
    PARTIALLY_DELISTED = "partially_delisted", _("Partially delisted")
    DELISTED = "delisted", _("Delisted")


# Only these organisations' offers appear in the catalogue (with a Qualiopi certificate valid on the day). The
# milder sanctions keep the catalogue open: observation and suspended payments change nothing the public sees, and a
# partial delisting removes only the chosen offers (`Offer.delisted_at`).
SEARCHABLE_STATUSES = frozenset(
    {
        OrganisationStatus.APPROVED,
        OrganisationStatus.UNDER_OBSERVATION,
        OrganisationStatus.PAYMENTS_SUSPENDED,
        OrganisationStatus.PARTIALLY_DELISTED,
    }
)


class OrganisationRole(models.TextChoices):
    """What a member of an organisation's staff may do (per organisation). Every role reads the organisation's
    space; the reader does nothing else."""

    ACCESS_MANAGER = "access_manager", _("Access manager")  # invites and revokes staff, manages API keys
    CATALOGUE_MANAGER = "catalogue_manager", _("Catalogue manager")  # offers and sessions
    FILES_MANAGER = "files_manager", _("Files manager")  # answers and moves training files
    FINANCE_MANAGER = "finance_manager", _("Finance manager")  # payments, bank details
    READER = "reader", _("Reader")


class ApiKeyScope(models.TextChoices):
    """What an organisation's API key may call (opencpf.api.auth maps scopes to endpoints)."""

    CATALOGUE_READ = "catalogue:read", _("Catalogue: read")
    CATALOGUE_WRITE = "catalogue:write", _("Catalogue: write")
    FILES = "files", _("Training files")
    PAYMENTS = "payments", _("Payments")


# The roles a key's own account holds for its scopes: the services check roles, as for a person.
ROLES_OF_SCOPE = {
    ApiKeyScope.CATALOGUE_READ: OrganisationRole.READER,
    ApiKeyScope.CATALOGUE_WRITE: OrganisationRole.CATALOGUE_MANAGER,
    ApiKeyScope.FILES: OrganisationRole.FILES_MANAGER,
    ApiKeyScope.PAYMENTS: OrganisationRole.FINANCE_MANAGER,
}


class CertificationKind(models.TextChoices):
    RNCP = "rncp", _("RNCP certification")
    RS = "rs", _("Specific directory (RS) certification")
    VAE = "vae", _("Validation of prior learning (VAE)")
    SKILLS_ASSESSMENT = "skills_assessment", _("Skills assessment")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    BUSINESS_CREATION = "business_creation", _("Business creation or takeover")


class Modality(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")
    MIXED = "mixed", _("Mixed (on site and remote)")


class SearchSort(models.TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    DISTANCE = "distance", _("Distance")
    PRICE = "price", _("Price")
    RATING = "rating", _("Rating")
    START_DATE = "start_date", _("Start date")


class BankChangeState(models.TextChoices):
    """A change of bank details asked through the API: it waits for a person of the organisation (finance manager,
    password and fresh second factor, in the space) who confirms or rejects it."""

    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
