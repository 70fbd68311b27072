import datetime

from django.db.models import QuerySet

from opencpf.identity.enums import CheckStatus
from opencpf.identity.models import FederationLink, IdentityCheck


def identity_check_pending_of(holder) -> IdentityCheck | None:
    return IdentityCheck.objects.filter(holder=holder, recovery=False, status=CheckStatus.PENDING).first()


def federation_link_of(holder) -> FederationLink | None:
    return FederationLink.objects.filter(holder=holder).first()


def review_pending(kind) -> QuerySet:
    """A review queue (`review.ReviewKind`): what waits for an agent, oldest first."""
    return kind.model.objects.filter(status=kind.pending).select_related("holder__user").order_by("created_at")


def review_overdue_count(kind, *, now: datetime.datetime, hours: int) -> int:
    """How many waited longer than the answer target."""
    return review_pending(kind).filter(created_at__lt=now - datetime.timedelta(hours=hours)).count()
