"""An organisation's staff and their roles (per SIRET): the access manager invites people by email and revokes them.
Every write checks the actor's role here (`selectors.organisation_role_required`), not only in the views, and is
audited with who did it."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.digests import digest
from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import (
    Organisation,
    OrganisationInvitation,
    OrganisationMember,
    OrganisationMemberRole,
)
from opencpf.catalogue.selectors import invitation_by_token, organisation_role_required
from opencpf.utils.emails import send_email

# How long an invitation link stays valid: an operational choice, not a legal value.
INVITATION_LIFETIME = datetime.timedelta(days=7)


def _roles(roles) -> list[str]:
    chosen = {str(role) for role in roles or []}
    if not chosen or not chosen <= set(OrganisationRole.values):
        raise ValidationError({"roles": [_("Choose one or more roles.")]})
    return [role for role in OrganisationRole.values if role in chosen]


def _set_roles(member: OrganisationMember, roles: list[str]) -> None:
    OrganisationMemberRole.objects.filter(member=member).exclude(role__in=roles).delete()
    have = set(OrganisationMemberRole.objects.filter(member=member).values_list("role", flat=True))
    OrganisationMemberRole.objects.bulk_create(
        [OrganisationMemberRole(member=member, role=role) for role in roles if role not in have]
    )


def _access_managers(organisation_id: int):
    return OrganisationMemberRole.objects.filter(
        member__organisation_id=organisation_id, role=OrganisationRole.ACCESS_MANAGER, member__user__is_active=True
    )


@transaction.atomic
def member_add(
    *, organisation: Organisation, user: User, roles, actor: User | None = None, ip: str | None = None
) -> OrganisationMember:
    """Make `user` a member with these roles (the demo, the platform's own set-up: no actor check)."""
    roles = _roles(roles)
    if user.role != Role.ORGANISATION_STAFF:
        raise ValidationError({"email": [_("This account is not an organisation staff account.")]})
    member, _created = OrganisationMember.objects.get_or_create(
        organisation=organisation, user=user, defaults={"invited_by": actor}
    )
    _set_roles(member, roles)
    audit(
        actor=actor,
        action="organisation_member_added",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        member=user.pk,
        roles=roles,
    )
    return member


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, roles, actor: User, ip: str | None = None
) -> tuple[str, OrganisationInvitation]:
    """The access manager invites someone by email: a link, valid `INVITATION_LIFETIME`, sent once the transaction
    commits. Returns the clear token (only in the email) and the invitation. An earlier pending invitation of the
    same address is revoked."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    email = (email or "").replace("\x00", "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid email address.")]})
    roles = _roles(roles)
    if OrganisationMember.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": [_("This person is already a member of the organisation.")]})
    now = timezone.now()
    OrganisationInvitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=actor)
    token = secrets.token_urlsafe(32)
    invitation = OrganisationInvitation.objects.create(
        organisation=organisation,
        email=email,
        roles=roles,
        token_hash=digest(f"invitation:{token}"),
        invited_by=actor,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    audit(
        actor=actor,
        action="organisation_invitation_sent",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        invitation=invitation.pk,
        email=email,
        roles=roles,
    )
    context = {
        "organisation": organisation.name,
        "inviter": str(actor),
        "url": settings.OPENCPF_SITE_URL + reverse("organisations:invitation", args=[token]),
        "expires_at": invitation.expires_at,
        "user_email": email,
    }
    language = actor.language or "fr"
    transaction.on_commit(
        lambda: send_email(
            to=email, template_prefix="emails/organisation_invitation", context=context, language=language
        )
    )
    return token, invitation


@transaction.atomic
def invitation_revoke(*, invitation_id: int, organisation: Organisation, actor: User, ip: str | None = None) -> None:
    organisation_role_required(actor, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    updated = OrganisationInvitation.objects.filter(
        pk=invitation_id, organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=actor)
    if not updated:
        raise ValidationError({"invitation": [_("This invitation is no longer pending.")]})
    audit(
        actor=actor,
        action="organisation_invitation_revoked",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        invitation=invitation_id,
    )


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    password: str = "",
    display_name: str = "",
    ip: str | None = None,
) -> OrganisationMember:
    """Join through the link: signed in with the invited address (an existing staff account joins), or, when no
    account has that address, a new staff account is opened with `password` (the email is confirmed: the link came
    to it). An account of another kind (a holder's, an agent's) cannot join."""
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ValidationError({"token": [_("This invitation link is not valid any more. Ask for a new one.")]})
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError({"token": [_("This invitation link is not valid any more. Ask for a new one.")]})
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email:
            raise PermissionDenied(_("This invitation was sent to another email address."))
    elif existing is not None:
        raise PermissionDenied(_("An account already uses this address: sign in first, then open the link again."))
    else:
        display_name = (display_name or "").replace("\x00", "").strip()[:200]
        probe = User(email=invitation.email, display_name=display_name, role=Role.ORGANISATION_STAFF)
        try:
            password_validation.validate_password(password or "", probe)
        except ValidationError as error:
            raise ValidationError({"password": error.messages})
        user = User.objects.create_user(
            invitation.email,
            password,
            role=Role.ORGANISATION_STAFF,
            display_name=display_name,
            email_verified_at=timezone.now(),
        )
    if user.role != Role.ORGANISATION_STAFF or not user.is_active:
        raise PermissionDenied(_("Only an organisation staff account can join an organisation."))
    now = timezone.now()
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    member, _created = OrganisationMember.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"invited_by": invitation.invited_by}
    )
    _set_roles(member, sorted(set(invitation.roles) | set(member.roles.values_list("role", flat=True))))
    audit(
        actor=user,
        action="organisation_invitation_accepted",
        target=f"organisation:{invitation.organisation_id}",
        ip=ip,
        invitation=invitation.pk,
        invited_by=invitation.invited_by_id,
        roles=invitation.roles,
    )
    return member


def _member(organisation: Organisation, user_id: int) -> OrganisationMember:
    member = OrganisationMember.objects.select_for_update().filter(organisation=organisation, user_id=user_id).first()
    if member is None:
        raise ValidationError({"member": [_("This person is not a member of the organisation.")]})
    return member


def _keep_an_access_manager(organisation: Organisation, member: OrganisationMember, keeps: bool) -> None:
    losing = not keeps and member.roles.filter(role=OrganisationRole.ACCESS_MANAGER).exists()
    if losing and not _access_managers(organisation.pk).exclude(member=member).exists():
        raise ValidationError({"roles": [_("The organisation must keep at least one access manager.")]})


@transaction.atomic
def member_roles_set(
    *, organisation: Organisation, user_id: int, roles, actor: User, ip: str | None = None
) -> OrganisationMember:
    organisation_role_required(actor, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    roles = _roles(roles)
    # Lock the organisation's access managers first: two managers removing each other cannot both succeed.
    list(_access_managers(organisation.pk).select_for_update())
    member = _member(organisation, user_id)
    previous = sorted(member.roles.values_list("role", flat=True))
    _keep_an_access_manager(organisation, member, keeps=OrganisationRole.ACCESS_MANAGER in roles)
    _set_roles(member, roles)
    audit(
        actor=actor,
        action="organisation_member_roles_changed",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        member=user_id,
        previous=previous,
        roles=roles,
    )
    return member


@transaction.atomic
def member_revoke(*, organisation: Organisation, user_id: int, actor: User, ip: str | None = None) -> None:
    """Remove someone from the staff: they lose access at their next request (roles are read on each)."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    list(_access_managers(organisation.pk).select_for_update())
    member = _member(organisation, user_id)
    _keep_an_access_manager(organisation, member, keeps=False)
    roles = sorted(member.roles.values_list("role", flat=True))
    member.delete()
    audit(
        actor=actor,
        action="organisation_member_revoked",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        member=user_id,
        roles=roles,
    )
