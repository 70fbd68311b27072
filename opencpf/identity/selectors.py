from django.db.models import QuerySet

from opencpf.identity.enums import CheckStatus
from opencpf.identity.models import FederationLink, IdentityCheck


def identity_checks_pending() -> QuerySet[IdentityCheck]:
    """The agents' queue, oldest first."""
    return IdentityCheck.objects.filter(status=CheckStatus.PENDING).select_related("holder").order_by("created_at")


def identity_check_pending_of(holder) -> IdentityCheck | None:
    return IdentityCheck.objects.filter(holder=holder, recovery=False, status=CheckStatus.PENDING).first()


def federation_link_of(holder) -> FederationLink | None:
    return FederationLink.objects.filter(holder=holder).first()
