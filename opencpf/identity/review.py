"""One review path for the agents' three queues (identity checks, proofs of situations, access from abroad): take
the pending item under a lock, decide, stamp who and when, audit, tell the requester. What differs per queue (the
model, its field names, what approval does, what the emails say) is a `ReviewKind`, described beside its model's
services (`identity.services`, `identity.situations`, `identity.access`)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencpf.accounts import services as accounts
from opencpf.accounts.models import User
from opencpf.parameters.loader import value as parameter_value

MAX_REASON = 2000


class ReviewError(Exception):
    """A refusal the caller shows: field errors (400), or a status and a stable code (404, 409, 429…)."""

    def __init__(self, errors: dict[str, list[str]] | str, *, status: int = 400, code: str = "invalid"):
        self.errors = errors if isinstance(errors, dict) else {"__all__": [str(errors)]}
        self.status = status
        self.code = code
        super().__init__("; ".join(m for messages in self.errors.values() for m in messages))


@dataclass(frozen=True)
class ReviewKind:
    """What one queue is. `approve(item, agent=, now=, ip=, **options)` does what approval means (it may refuse with
    a ReviewError, and may set the fields of `approve_fields` on the item) and returns the step of the email to send
    (None when it told people itself); `tell(item, step)` sends the email of a step."""

    name: str  # audit target prefix and action stem: "identity_check" → identity_check_approved
    model: type[models.Model]
    pending: str
    approved: str
    refused: str
    approve: Callable[..., str | None]
    tell: Callable[[models.Model, str], None]
    reason_field: str = "reason"
    document_field: str = "document_storage_name"
    content_type_field: str = "document_content_type"
    approve_fields: tuple[str, ...] = ()
    document_opened: str = ""  # the audit action when an agent opens the document
    already_decided: str = gettext_lazy("This request was already decided.")
    reason_for: str = gettext_lazy("Say why, for the requester.")

    def audit_action(self, status: str) -> str:
        return f"{self.name}_{status}"

    def target(self, item) -> str:
        return f"{self.name}:{item.pk}"


def review_target_hours(on: datetime.date | None = None) -> int:
    """Every queue's answer target, read from its parameter `identity/review_target_hours` (DESIGN §2.5)."""
    return int(parameter_value("identity/review_target_hours", on or timezone.localdate()))


def clean_text(value: str | None, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _pending(kind: ReviewKind, item_id: int):
    item = kind.model.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise ReviewError(_("Not found."), status=404, code="not_found")
    if item.status != kind.pending:
        raise ReviewError(str(kind.already_decided), status=409, code="already_decided")
    return item


def _decided(kind: ReviewKind, item, *, status: str, agent: User, now: datetime.datetime, fields=(), ip=None):
    item.status, item.decided_by, item.decided_at = status, agent, now
    item.save(update_fields=["status", "decided_by", "decided_at", *fields])
    accounts.audit(actor=agent, action=kind.audit_action(status), target=kind.target(item), ip=ip)


@transaction.atomic
def review_approve(*, kind: ReviewKind, item_id: int, agent: User, ip: str | None = None, **options):
    now = timezone.now()
    item = _pending(kind, item_id)
    step = kind.approve(item, agent=agent, now=now, ip=ip, **options)
    _decided(kind, item, status=kind.approved, agent=agent, now=now, fields=kind.approve_fields, ip=ip)
    if step:
        kind.tell(item, step)
    return item


@transaction.atomic
def review_refuse(*, kind: ReviewKind, item_id: int, agent: User, reason: str, ip: str | None = None):
    reason = clean_text(reason, MAX_REASON)
    if not reason:
        raise ReviewError({"reason": [str(kind.reason_for)]})
    item = _pending(kind, item_id)
    setattr(item, kind.reason_field, reason)
    _decided(kind, item, status=kind.refused, agent=agent, now=timezone.now(), fields=[kind.reason_field], ip=ip)
    kind.tell(item, kind.refused)
    return item


def review_document_opened(*, kind: ReviewKind, item, agent: User, ip: str | None = None) -> None:
    """Opening a document is audited (who looked at whose papers)."""
    accounts.audit(actor=agent, action=kind.document_opened, target=kind.target(item), ip=ip)
