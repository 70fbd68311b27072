"""Agents of the Caisse des Dépôts: created by `manage.py create_agent` or by an agent allowed to manage agents,
never as Django superusers. An agent always signs in with an authenticator app (TOTP): the secret is created with
the account and shown once, to be handed over; the password is chosen by the agent through an emailed link."""

import base64
import binascii
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.accounts.services import audit, password_reset_send

MANAGE_AGENTS = "manage_agents"  # codename of the permission (declared by opencpf.scams.models.Report)


@dataclass(frozen=True)
class NewAgent:
    user: User
    totp_secret: str  # base32, shown once

    @property
    def provisioning_uri(self) -> str:
        return f"otpauth://totp/OpenCPF:{self.user.email}?secret={self.totp_secret}&issuer=OpenCPF"


def can_manage_agents(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_agent and user.has_perm(f"scams.{MANAGE_AGENTS}"))


def totp_for(user: User, secret_base32: str | None) -> str:
    if secret_base32 is None:
        raw = secrets.token_bytes(20)
    else:
        try:
            raw = base64.b32decode(secret_base32.upper() + "=" * (-len(secret_base32) % 8))
        except (binascii.Error, ValueError):
            raise ValidationError({"totp_secret": [_("Not a base32 secret.")]})
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="OpenCPF", key=raw.hex(), confirmed=True)
    return base64.b32encode(raw).decode().rstrip("=")


@transaction.atomic
def agent_create(
    *,
    email: str,
    display_name: str,
    created_by: User | None,
    manage_agents: bool = False,
    password: str | None = None,
    totp_secret: str | None = None,
    url_for: Callable[[str, str], str] | None = None,
    ip: str | None = None,
) -> NewAgent:
    """A new agent (never a superuser). Without `password`, the agent receives a link to choose one."""
    email = (email or "").strip().lower()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    if not errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account already uses this email address.")]
    display_name = (display_name or "").strip()[:200]
    if not display_name:
        errors["display_name"] = [_("This field is required.")]
    if created_by is not None and not can_manage_agents(created_by):
        errors["__all__"] = [_("You are not allowed to create agents.")]
    if errors:
        raise ValidationError(errors)
    # Without a password given, an unknown one: the agent chooses theirs through the emailed link.
    user = User.objects.create_user(
        email=email,
        password=password or secrets.token_urlsafe(32),
        role=Role.AGENT,
        display_name=display_name,
        is_staff=False,
    )
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    if manage_agents:
        user.user_permissions.add(Permission.objects.get(codename=MANAGE_AGENTS, content_type__app_label="scams"))
    secret = totp_for(user, totp_secret)
    audit(actor=created_by, action="agent_created", target=f"user:{user.pk}", ip=ip, manage_agents=manage_agents)
    if password is None and url_for is not None:
        transaction.on_commit(lambda: password_reset_send(email=email, url_for=url_for, ip=ip))
    return NewAgent(user=user, totp_secret=secret)
