"""Who sees which training file, and what they may do with it."""

import datetime

from django.db.models import Q, QuerySet

from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import OrganisationMember
from opencpf.catalogue.selectors import has_organisation_role
from opencpf.dossiers.enums import (
    Action,
    Actor,
    DossierState,
    allowed_actions,
)
from opencpf.dossiers.models import (
    OPEN_STATES,
    Dossier,
)
from opencpf.dossiers.worklist import organisations_reading_files

S = DossierState


# --- who sees what ---------------------------------------------------------------------------------------------


def dossiers_of_holder(user: User) -> QuerySet[Dossier]:
    if user.role != Role.HOLDER or not hasattr(user, "holder"):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(holder=user.holder)
        .select_related("organisation", "offer", "session")
        .order_by("-created_at", "-id")
    )


def organisation_ids_of(user: User) -> list[int]:
    if user.role != Role.ORGANISATION_STAFF:
        return []
    # Kept on the user object, which lives for one request: a list of files asks once, not once per file.
    if (ids := user.__dict__.get("_organisation_ids")) is None:
        ids = user.__dict__["_organisation_ids"] = list(
            OrganisationMember.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
    return ids


def dossiers_of_organisations(user: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(organisation_id__in=organisations_reading_files(user))
        .select_related("holder", "organisation", "offer", "session")
        .order_by("-updated_at", "-id")
    )


def _visible_to(user: User) -> QuerySet[Dossier]:
    """The files `user` sees: theirs as holder, their organisations' as staff who read files, all as an agent."""
    if not user or not user.is_authenticated:
        return Dossier.objects.none()
    if user.role == Role.AGENT:
        return Dossier.objects.all()
    if user.role == Role.HOLDER:
        return Dossier.objects.filter(holder__user=user)
    if user.role == Role.ORGANISATION_STAFF:
        return Dossier.objects.filter(organisation_id__in=organisations_reading_files(user))
    return Dossier.objects.none()


def dossier_visible_to(user: User, dossier_id: int) -> Dossier | None:
    """The file if `user` is its holder, a member of its organisation or an agent; None otherwise (→ 404)."""
    return (
        _visible_to(user)
        .select_related("holder__user", "organisation", "offer", "session")
        .filter(pk=dossier_id)
        .first()
    )


def dossier_is_visible_to(user: User, dossier_id: int) -> bool:
    """Whether `dossier_visible_to` would find the file, without reading it (before a move that reads it anyway)."""
    return _visible_to(user).filter(pk=dossier_id).exists()


def actor_for(user: User, dossier: Dossier) -> Actor | None:
    holder = getattr(user, "holder", None) if user.role == Role.HOLDER else None
    if holder is not None and dossier.holder_id == holder.pk:
        return Actor.HOLDER
    if user.role == Role.ORGANISATION_STAFF and dossier.organisation_id in organisation_ids_of(user):
        return Actor.ORGANISATION
    if user.role == Role.AGENT:
        return Actor.AGENT
    return None


def actions_for(user: User, dossier: Dossier) -> list[Action]:
    """What `user` may do on the file now; nothing while a scam report freezes it."""
    actor = actor_for(user, dossier)
    if actor is None or dossier.frozen_at is not None:
        return []
    if actor == Actor.ORGANISATION and not has_organisation_role(
        user, dossier.organisation_id, OrganisationRole.FILES_MANAGER
    ):
        return []
    return allowed_actions(DossierState(dossier.state), actor)


def can_evaluate(dossier: Dossier, today: datetime.date) -> bool:
    return dossier.state in (S.COMPLETED, S.PAID) and dossier.took_place is None and today >= dossier.proposal_end


def sees_funding_details(user: User) -> bool:
    """Why the holder owes no flat contribution and which rights or top-ups pay (a "job seeker" top-up says a lot)
    are for the holder and agents; the organisation sees the amounts it needs: price, paid by rights, by card."""
    return user.role in (Role.HOLDER, Role.AGENT)


def open_files_by_session(user: User, offer_id: int) -> dict[int, int]:
    """{session id: file id} of the holder's open files on an offer: the offer page links to the file instead of
    offering a registration the one-open-file-per-session rule would refuse."""
    return dict(
        dossiers_of_holder(user).filter(offer_id=offer_id, state__in=OPEN_STATES).values_list("session_id", "pk")
    )


def files_awaiting_holder(user: User, today: datetime.date) -> list[Dossier]:
    """The holder's files that wait for them, soonest deadline first: a proposal to accept or decline, a finished
    training to confirm and rate. The dashboard puts them at the top. It shows the file's own fields only (the
    offer's title is copied onto the file): no join, on the page every holder opens first."""
    waiting = (
        dossiers_of_holder(user)
        .select_related(None)
        .filter(
            Q(state=S.PROPOSED) | Q(state__in=(S.COMPLETED, S.PAID), took_place__isnull=True, proposal_end__lte=today),
            frozen_at__isnull=True,
        )
    )
    return sorted(waiting, key=lambda d: (d.accept_before or datetime.date.max, d.pk))
