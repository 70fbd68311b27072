"""Reads of the advisors area: which network serves a situation, the sites near a place, who sees which request."""

import datetime
import math
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role
from opencpf.accounts.models import Holder, User
from opencpf.advisors import rules
from opencpf.advisors.enums import AppointmentMode, AppointmentStatus, Network, SiteStatus
from opencpf.advisors.models import AdvisorMembership, AdvisorSite, AdvisorSiteNetwork, Appointment
from opencpf.parameters.loader import value
from opencpf.places.selectors import haversine_km

RESULTS = 10  # sites listed by a search
# Sites farther than this are left out (another region's operator is of no use), unless nothing is nearer: then the
# few nearest still show, so that nobody is left without a contact. A service choice, not a legal value.
NEAR_KM = 150
FALLBACK_RESULTS = 3


def choose_network(situation: rules.Situation, on: datetime.date) -> rules.NetworkChoice:
    """The rule of `rules.network_for` with the age bound in force on `on`."""
    return rules.network_for(situation, mission_locale_max_age=int(value("advisors/mission_locale_max_age", on=on)))


def holder_situation(holder: Holder, on: datetime.date, *, manager: bool = False) -> rules.Situation:
    return rules.Situation(
        status=holder.status,
        age=rules.age_on(holder.birth_date, on),
        disabled_worker=holder.disabled_worker,
        manager=manager,
        abroad=(holder.country or "FR").upper() != "FR",
    )


@dataclass(frozen=True)
class SiteHit:
    site: AdvisorSite
    network: str
    distance_km: float | None


def sites_near(
    network: Network, *, latitude: float | None, longitude: float | None, limit: int = RESULTS
) -> list[SiteHit]:
    """The open sites of `network`, nearest first (by name when no point is given: remote services). Distances are
    computed on three columns of every candidate; only the sites listed are loaded whole."""
    site_ids = AdvisorSiteNetwork.objects.filter(network=network).values("site_id")
    candidates = AdvisorSite.objects.filter(pk__in=site_ids, status=SiteStatus.OPEN)
    if latitude is None or longitude is None:
        ordered = [(None, pk) for pk in candidates.order_by("name", "pk").values_list("pk", flat=True)[:limit]]
    else:
        # The box around the point first (an index-friendly filter); the whole network only when it is empty.
        dlat = NEAR_KM / 111.0
        dlon = NEAR_KM / (111.0 * max(0.05, math.cos(math.radians(latitude))))
        box = candidates.filter(
            latitude__range=(latitude - dlat, latitude + dlat), longitude__range=(longitude - dlon, longitude + dlon)
        )
        ordered = _by_distance(box, latitude, longitude)
        near = [item for item in ordered if item[0] <= NEAR_KM]
        ordered = (near or _by_distance(candidates, latitude, longitude)[:FALLBACK_RESULTS])[:limit]
    sites = AdvisorSite.objects.in_bulk([pk for _distance, pk in ordered])
    return [SiteHit(site=sites[pk], network=network, distance_km=distance) for distance, pk in ordered]


def _by_distance(sites, latitude: float, longitude: float) -> list[tuple[float, int]]:
    return sorted(
        (round(haversine_km(latitude, longitude, lat, lon), 1), pk)
        for pk, lat, lon in sites.values_list("pk", "latitude", "longitude")
    )


def site_networks(site: AdvisorSite) -> list[str]:
    return sorted(site.networks.values_list("network", flat=True))


def open_site(site_id: int) -> AdvisorSite | None:
    return AdvisorSite.objects.filter(pk=site_id).prefetch_related("networks").first()


def advisor_site_ids(user: User) -> list[int]:
    if not user or not user.is_authenticated or user.role != Role.ADVISOR:
        return []
    if (ids := user.__dict__.get("_advisor_site_ids")) is None:
        ids = user.__dict__["_advisor_site_ids"] = list(
            AdvisorMembership.objects.filter(user=user).values_list("site_id", flat=True)
        )
    return ids


def advisors_of_site(site: AdvisorSite) -> list[User]:
    return [
        membership.user
        for membership in AdvisorMembership.objects.filter(site=site, user__is_active=True).select_related("user")
    ]


def appointments_of_holder(user: User) -> QuerySet[Appointment]:
    if user.role != Role.HOLDER or not hasattr(user, "holder"):
        return Appointment.objects.none()
    return Appointment.objects.filter(holder=user.holder).select_related("site").order_by("-created_at", "-id")


def appointments_for_advisor(user: User) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(site_id__in=advisor_site_ids(user))
        .select_related("site", "holder__user")
        .order_by("-created_at", "-id")
    )


def appointment_visible_to(user: User, appointment_id: int) -> Appointment | None:
    """The request if `user` made it or works at its site; None otherwise (→ 404)."""
    if not user or not user.is_authenticated:
        return None
    appointments = Appointment.objects.select_related("site", "holder__user")
    if user.role == Role.HOLDER:
        return appointments.filter(pk=appointment_id, holder__user=user).first()
    if user.role == Role.ADVISOR:
        return appointments.filter(pk=appointment_id, site_id__in=advisor_site_ids(user)).first()
    return None


def shared_with_advisor(appointment: Appointment) -> dict:
    """What the advisor of this request may read about the holder: contact details to hold the appointment, and
    only the rights balance and files the holder chose to share."""
    from opencpf.dossiers.selectors import dossiers_of_holder
    from opencpf.rights.selectors.balances import rights_balance

    holder = appointment.holder
    shared = {
        "name": holder.full_name,
        "email": holder.user.email,
        "phone": holder.phone,
        "city": f"{holder.postal_code} {holder.city}".strip(),
        "balance": None,
        "dossiers": None,
    }
    if appointment.share_balance:
        shared["balance"] = rights_balance(holder, timezone.localdate())
    if appointment.share_dossiers:
        shared["dossiers"] = list(dossiers_of_holder(holder.user)[:50])
    return shared


def identity_confirmation_refusal(appointment: Appointment, now: datetime.datetime) -> str | None:
    """Why the advisor of this request may not confirm the holder's identity now (None: they may). Only face to face:
    an appointment in person, proposed for today or earlier, or held; and only for a holder not yet verified."""
    if appointment.holder.identity_verified:
        return _("This holder's identity is already verified.")
    if appointment.mode != AppointmentMode.IN_PERSON:
        return _("An identity is confirmed only at an appointment in person, not by phone or video.")
    if appointment.status not in (AppointmentStatus.PROPOSED, AppointmentStatus.HELD):
        return _("An identity is confirmed only at an appointment that was proposed or held.")
    if timezone.localdate(appointment.proposed_at) > timezone.localdate(now):
        return _("The appointment has not taken place yet.")
    return None
