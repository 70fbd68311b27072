"""Audit trail and emails to a user: what every write of accounts (and of other areas) calls."""

from django.db import transaction

from opencpf.accounts.models import AuditEvent, User
from opencpf.utils.emails import send_email


def audit(*, actor: User | None, action: str, target: str = "", ip: str | None = None, **details) -> None:
    AuditEvent.objects.create(actor=actor, action=action, target=target, ip_address=ip, details=details)


def notify(*, user: User, template_prefix: str, context: dict | None = None, to: str | None = None) -> None:
    """Email the user (in their language) once the transaction commits."""
    recipient, language = to or user.email, user.language
    context = {"user_email": user.email, **(context or {})}
    transaction.on_commit(
        lambda: send_email(to=recipient, template_prefix=template_prefix, context=context, language=language)
    )
