"""Demo accounts of DESIGN §4. They exist only in the demo data of `make run`."""

import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.enums import HolderStatus, IdentityLevel, IdentitySource, Role
from opencpf.accounts.models import Holder, User
from opencpf.accounts.nir import nir_key

DEMO_HOLDER_EMAIL = "demo@opencpf.test"
DEMO_HOLDER_PASSWORD = "Demo-Holder-2026!"
DEMO_ORG_EMAIL = "of@opencpf.test"
DEMO_ORG_PASSWORD = "Demo-Org-2026!"
DEMO_AGENT_EMAIL = "agent@opencpf.test"
DEMO_AGENT_PASSWORD = "Demo-Agent-2026!"
DEMO_AGENT_TOTP_SECRET = "OPENCPFDEMOAGENT"  # base32, DESIGN §4
DEMO_HOLDER_NIR = "1850575056123" + nir_key("1850575056123")


def _user(email: str, password: str, role: Role, display_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, role=role, display_name=display_name)
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def load(stdout) -> list[str]:
    holder_user = _user(DEMO_HOLDER_EMAIL, DEMO_HOLDER_PASSWORD, Role.HOLDER, "Camille Martin")
    Holder.objects.get_or_create(
        user=holder_user,
        defaults={
            "nir": DEMO_HOLDER_NIR,
            "last_name": "Martin",
            "first_names": "Camille",
            "birth_date": datetime.date(1985, 5, 14),
            "phone": "+33612345678",
            "phone_verified_at": timezone.now(),
            "address_line1": "12 rue de la Roquette",
            "postal_code": "75011",
            "city": "Paris",
            "country": "FR",
            "status": HolderStatus.EMPLOYEE,
            # DESIGN §4: the demo holder's identity is verified.
            "identity_level": IdentityLevel.VERIFIED,
            "identity_source": IdentitySource.DEMO,
            "identity_verified_at": timezone.now(),
        },
    )
    Holder.objects.filter(user=holder_user, identity_level=IdentityLevel.BASIC).update(
        identity_level=IdentityLevel.VERIFIED, identity_source=IdentitySource.DEMO, identity_verified_at=timezone.now()
    )
    _user(DEMO_ORG_EMAIL, DEMO_ORG_PASSWORD, Role.ORGANISATION_STAFF, "Formations Demo")
    agent = _user(DEMO_AGENT_EMAIL, DEMO_AGENT_PASSWORD, Role.AGENT, "Agent Caisse des Dépôts")
    _demo_agent_rights(agent)
    return [
        f"holder        {DEMO_HOLDER_EMAIL} / {DEMO_HOLDER_PASSWORD}  (NIR {DEMO_HOLDER_NIR})",
        f"organisation  {DEMO_ORG_EMAIL} / {DEMO_ORG_PASSWORD}",
        f"agent         {DEMO_AGENT_EMAIL} / {DEMO_AGENT_PASSWORD}  (authenticator secret {DEMO_AGENT_TOTP_SECRET},"
        " back office at /gestion/)",
    ]


def _demo_agent_rights(agent: User) -> None:
    """The demo agent signs in with the authenticator secret of DESIGN §4 and may create agents."""
    from django.contrib.auth.models import Permission

    from opencpf.accounts.agents import MANAGE_AGENTS, totp_for

    if not TOTPDevice.objects.filter(user=agent, confirmed=True).exists():
        totp_for(agent, DEMO_AGENT_TOTP_SECRET)
    agent.user_permissions.add(Permission.objects.get(codename=MANAGE_AGENTS, content_type__app_label="scams"))
