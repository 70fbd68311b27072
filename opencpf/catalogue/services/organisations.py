"""An organisation's status (approved, observed, payments suspended, delisted…) and an agent's approval of one
pending: its offers leave or join search at once."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Organisation
from opencpf.catalogue.services.search_follow import search_index_follow


@transaction.atomic
def organisation_status_set(
    *,
    organisation: Organisation,
    status: OrganisationStatus,
    actor: User | None = None,
    reason: str = "",
    at_once: bool = False,
    ip: str | None = None,
) -> Organisation:
    """Approve, observe, suspend payments, delist…: the organisation's offers leave or join search at once."""
    if status not in OrganisationStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    previous = organisation.status
    organisation.status = status
    organisation.status_changed_at = timezone.now()
    organisation.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit(
        actor=actor,
        action="organisation_status_changed",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        previous=previous,
        status=str(status),
        reason=reason,
    )
    search_index_follow(organisation_ids=[organisation.pk], at_once=at_once)
    return organisation


MAX_QUALIOPI_CERTIFICATE = 100


@transaction.atomic
def organisation_approve(
    *,
    organisation_id: int,
    agent: User,
    qualiopi_certificate: str,
    qualiopi_expires_on: datetime.date,
    ip: str | None = None,
) -> Organisation:
    """An agent lists an organisation pending approval (after an import, say), with its Qualiopi certificate and
    expiry: its offers join search at once. Audited (organisation_status_changed, with the certificate)."""
    if agent is None or not agent.is_authenticated or not agent.is_active or not agent.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can do this."))
    organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    if organisation is None:
        raise Organisation.DoesNotExist
    errors = {}
    if organisation.status != OrganisationStatus.PENDING:
        errors["status"] = [_("Only an organisation pending approval can be approved.")]
    certificate = (qualiopi_certificate or "").replace("\x00", "").strip()
    if not certificate or len(certificate) > MAX_QUALIOPI_CERTIFICATE:
        errors["qualiopi_certificate"] = [
            _("Enter the Qualiopi certificate number (at most %(count)s characters).")
            % {"count": MAX_QUALIOPI_CERTIFICATE}
        ]
    if qualiopi_expires_on is None or qualiopi_expires_on <= timezone.localdate():
        errors["qualiopi_expires_on"] = [_("The Qualiopi certificate must be valid after today.")]
    if errors:
        raise ValidationError(errors)
    organisation.qualiopi_certificate = certificate
    organisation.qualiopi_expires_on = qualiopi_expires_on
    organisation.save(update_fields=["qualiopi_certificate", "qualiopi_expires_on", "updated_at"])
    return organisation_status_set(
        organisation=organisation,
        status=OrganisationStatus.APPROVED,
        actor=agent,
        reason=f"approved, Qualiopi {certificate} until {qualiopi_expires_on.isoformat()}",
        at_once=True,
        ip=ip,
    )
