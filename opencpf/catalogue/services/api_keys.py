"""API keys of an organisation: created and revoked by its access manager, each acting through its own account
(member with the roles of its scopes), so that every call is checked and audited under the key's name."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.digests import digest
from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.catalogue.enums import ROLES_OF_SCOPE, ApiKeyScope, OrganisationRole
from opencpf.catalogue.models import Organisation, OrganisationApiKey, OrganisationMember, OrganisationMemberRole
from opencpf.catalogue.selectors import API_KEY_PREFIX, organisation_role_required

# A reserved domain (RFC 2606): no one can receive mail there nor sign in with it (the account has no password).
KEY_ACCOUNT_DOMAIN = "api-keys.opencpf.invalid"


@transaction.atomic
def api_key_create(
    *, organisation: Organisation, name: str, scopes, actor: User, ip: str | None = None
) -> tuple[str, OrganisationApiKey]:
    """The clear key (show it once: only its digest is kept) and its record."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    name = (name or "").replace("\x00", "").strip()
    errors = {}
    if not name or len(name) > 100:
        errors["name"] = [_("Give the key a name (at most 100 characters).")]
    chosen = {str(scope) for scope in scopes or []}
    if not chosen or not chosen <= set(ApiKeyScope.values):
        errors["scopes"] = [_("Choose one or more scopes.")]
    if errors:
        raise ValidationError(errors)
    scopes = [scope for scope in ApiKeyScope.values if scope in chosen]
    clear = API_KEY_PREFIX + secrets.token_urlsafe(32)
    account = User.objects.create_user(
        f"key-{secrets.token_hex(8)}@{KEY_ACCOUNT_DOMAIN}",
        None,  # unusable password: the account never signs in
        role=Role.ORGANISATION_STAFF,
        display_name=_("API key “%(name)s” of %(organisation)s") % {"name": name, "organisation": organisation.name},
    )
    member = OrganisationMember.objects.create(organisation=organisation, user=account, invited_by=actor)
    roles = sorted({ROLES_OF_SCOPE[ApiKeyScope(scope)] for scope in scopes} | {OrganisationRole.READER})
    OrganisationMemberRole.objects.bulk_create(OrganisationMemberRole(member=member, role=role) for role in roles)
    key = OrganisationApiKey.objects.create(
        organisation=organisation,
        user=account,
        name=name,
        scopes=scopes,
        key_hash=digest(f"api-key:{clear}"),
        prefix=clear[: len(API_KEY_PREFIX) + 6],
        created_by=actor,
    )
    audit(
        actor=actor,
        action="organisation_api_key_created",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        key=key.pk,
        name=name,
        scopes=scopes,
    )
    return clear, key


@transaction.atomic
def api_key_revoke(*, key_id: int, organisation: Organisation, actor: User, ip: str | None = None) -> None:
    """The key stops working at once; its account and what it did stay, for the audit."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    key = (
        OrganisationApiKey.objects.select_for_update()
        .filter(pk=key_id, organisation=organisation, revoked_at__isnull=True)
        .first()
    )
    if key is None:
        raise ValidationError({"key": [_("This key is already revoked.")]})
    key.revoked_at, key.revoked_by = timezone.now(), actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    User.objects.filter(pk=key.user_id).update(is_active=False)
    OrganisationMember.objects.filter(user_id=key.user_id).delete()
    audit(
        actor=actor,
        action="organisation_api_key_revoked",
        target=f"organisation:{organisation.pk}",
        ip=ip,
        key=key.pk,
        name=key.name,
    )


# Written at most once a minute per key: "last used" without a write on every call.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def api_key_used(key: OrganisationApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        OrganisationApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
