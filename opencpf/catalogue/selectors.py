"""Reads of the catalogue for pages and the API (search itself is in `search`)."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone

from opencpf.catalogue.enums import SEARCHABLE_STATUSES, OrganisationStatus
from opencpf.catalogue.models import Offer, Organisation, Session


def public_offers(today: datetime.date | None = None):
    """Offers the public may see: published and not delisted, from a listed organisation with a valid Qualiopi
    certificate."""
    today = today or timezone.localdate()
    return Offer.objects.filter(
        is_active=True,
        delisted_at__isnull=True,
        organisation__status__in=SEARCHABLE_STATUSES,
        organisation__qualiopi_expires_on__gte=today,
    )


def offer_public_detail(offer_id: int, today: datetime.date | None = None) -> Offer | None:
    """The offer with its organisation, certification and open sessions not yet started, or None if not public."""
    today = today or timezone.localdate()
    upcoming = Session.objects.filter(is_active=True, start_date__gte=today).order_by("start_date", "id")
    return (
        public_offers(today)
        .select_related("organisation", "certification")
        .prefetch_related(Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions"))
        .filter(pk=offer_id)
        .first()
    )


def organisation_is_public(organisation: Organisation, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return organisation.status in SEARCHABLE_STATUSES and organisation.qualiopi_valid_on(today)


def organisation_public_detail(organisation_id: int, today: datetime.date | None = None):
    """(organisation, its public offers with their next session date, rating summary) or None if not public."""
    today = today or timezone.localdate()
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not organisation_is_public(organisation, today):
        return None
    offers = (
        public_offers(today)
        .filter(organisation=organisation)
        .select_related("certification")
        .annotate(
            upcoming_count=Count("sessions", filter=Q(sessions__is_active=True, sessions__start_date__gte=today))
        )
        .order_by("title", "id")
    )
    rating = offers.filter(rating_count__gt=0).aggregate(
        weighted=Sum(F("rating_average") * F("rating_count")), count=Sum("rating_count")
    )
    count = rating["count"] or 0
    average = (Decimal(rating["weighted"]) / count).quantize(Decimal("0.01")) if count else None
    return organisation, offers, {"average": average, "count": count}


def organisations_pending_approval():
    """Organisations waiting for an agent's approval (an import creates them so), oldest first, with their offers."""
    return (
        Organisation.objects.filter(status=OrganisationStatus.PENDING)
        .annotate(offer_count=Count("offers"))
        .order_by("created_at", "pk")
    )
