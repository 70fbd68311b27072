"""Reads of the catalogue for pages and the API (search itself is in `search`)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.digests import digest
from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.catalogue.enums import SEARCHABLE_STATUSES, BankChangeState, OrganisationRole, OrganisationStatus
from opencpf.catalogue.models import (
    BankDetailsChange,
    Offer,
    Organisation,
    OrganisationApiKey,
    OrganisationInvitation,
    OrganisationMember,
    OrganisationMemberRole,
    Session,
)


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


# Staff and roles -----------------------------------------------------------------------------------------------


def organisation_roles(user, organisation_id: int) -> frozenset[str]:
    """The roles `user` holds in this organisation (empty when not a member). Kept on the user object for the
    request, so that a page or a list asks once."""
    if user is None or not user.is_authenticated or not user.is_active or user.role != Role.ORGANISATION_STAFF:
        return frozenset()
    cache = user.__dict__.setdefault("_organisation_roles", {})
    if organisation_id not in cache:
        cache[organisation_id] = frozenset(
            OrganisationMemberRole.objects.filter(
                member__user=user, member__organisation_id=organisation_id
            ).values_list("role", flat=True)
        )
    return cache[organisation_id]


def has_organisation_role(user, organisation_id: int, role: OrganisationRole) -> bool:
    """Whether `user` may act as `role` for the organisation: any role reads (READER), the others are held."""
    roles = organisation_roles(user, organisation_id)
    return bool(roles) if role == OrganisationRole.READER else role in roles


def organisation_role_required(user, organisation_id: int, role: OrganisationRole) -> None:
    """PermissionDenied unless `user` holds `role` in the organisation: the one check of least privilege, called by
    every service that acts for an organisation."""
    if not has_organisation_role(user, organisation_id, role):
        raise PermissionDenied(
            _("Your role in this organisation does not allow this (needed: %(role)s).") % {"role": role.label}
        )


def organisation_members(organisation_id: int) -> list[dict]:
    """The staff of an organisation with their roles, by email."""
    members = (
        OrganisationMember.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__email")
    )
    order = {role: index for index, role in enumerate(OrganisationRole.values)}
    return [
        {
            "member": member,
            "user": member.user,
            "roles": sorted((r.role for r in member.roles.all()), key=order.__getitem__),
            "is_key": hasattr(member.user, "organisation_api_key"),
        }
        for member in members.select_related("user__organisation_api_key")
    ]


def invitations_pending(organisation_id: int):
    return OrganisationInvitation.objects.filter(
        organisation_id=organisation_id,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created_at")


def invitation_by_token(token: str) -> OrganisationInvitation | None:
    """The pending, unexpired invitation of this link, or None."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        return None
    return (
        OrganisationInvitation.objects.select_related("organisation")
        .filter(
            token_hash=digest(f"invitation:{token}"),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def invitation_has_account(invitation: OrganisationInvitation) -> bool:
    """Whether an account already uses the invited address (then its owner signs in before joining)."""
    return User.objects.filter(email__iexact=invitation.email).exists()


# API keys ------------------------------------------------------------------------------------------------------

API_KEY_PREFIX = "ocpf_org_"


def api_key_for(clear: str) -> OrganisationApiKey | None:
    """The live key of this clear value (with its account), or None."""
    if not clear.startswith(API_KEY_PREFIX) or len(clear) > 100:
        return None
    return (
        OrganisationApiKey.objects.select_related("user")
        .filter(key_hash=digest(f"api-key:{clear}"), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def organisation_api_keys(organisation_id: int):
    return OrganisationApiKey.objects.filter(organisation_id=organisation_id).order_by("revoked_at", "-created_at")


# Bank details ------------------------------------------------------------------------------------------------


def bank_details_hold_threshold(now: datetime.datetime | None = None) -> datetime.datetime:
    """Bank details changed after this moment hold the organisation's payments (an operational setting)."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.OPENCPF_IBAN_CHANGE_HOLD_DAYS)


def bank_details_on_hold(organisation: Organisation, now: datetime.datetime | None = None) -> bool:
    changed = organisation.iban_changed_at
    return changed is not None and changed > bank_details_hold_threshold(now)


def payments_held_until(organisation: Organisation, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the hold that follows a change of bank details ends, while it lasts."""
    if not bank_details_on_hold(organisation, now):
        return None
    return organisation.iban_changed_at + datetime.timedelta(days=settings.OPENCPF_IBAN_CHANGE_HOLD_DAYS)


def masked_iban(iban: str) -> str:
    return f"{iban[:4]} •••• {iban[-4:]}" if iban else ""


def pending_bank_change(organisation: Organisation) -> BankDetailsChange | None:
    """The change of bank details that waits for a person's confirmation (one at most), or None."""
    return (
        BankDetailsChange.objects.select_related("requested_by")
        .filter(organisation=organisation, state=BankChangeState.PENDING)
        .first()
    )
