"""Situations that move money (job seeker, low-qualified, disabled worker, C2P, work accident): declared by the
holder, they count only once an agent approves a proof (DESIGN §2.5). The holder's fields (`status`,
`low_qualified`, `disabled_worker`, `c2p_confirmed`, `work_accident_rate`) hold only what was confirmed, so rights
and the contribution, computed from them, never see a mere declaration. This module is the one place that turns
a declaration into a pending proof and an approval into the holder's fields."""

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencpf.accounts import services as accounts
from opencpf.accounts.enums import HolderStatus
from opencpf.accounts.models import Holder, User
from opencpf.identity import review
from opencpf.identity.enums import CheckStatus, Situation
from opencpf.identity.models import StatusProof
from opencpf.identity.services import IdentityCheckError
from opencpf.scams import evidence

# A declaration that would move money at once becomes a pending proof instead.
_UPGRADES = {
    Situation.JOB_SEEKER: lambda changes, holder: (
        changes.get("status") == HolderStatus.JOB_SEEKER and holder.status != HolderStatus.JOB_SEEKER
    ),
    Situation.LOW_QUALIFIED: lambda changes, holder: changes.get("low_qualified") is True and not holder.low_qualified,
    Situation.DISABLED_WORKER: lambda changes, holder: (
        changes.get("disabled_worker") is True and not holder.disabled_worker
    ),
}


def confirmed_situations(holder: Holder) -> list[str]:
    confirmed = []
    if holder.status == HolderStatus.JOB_SEEKER:
        confirmed.append(Situation.JOB_SEEKER.value)
    if holder.low_qualified:
        confirmed.append(Situation.LOW_QUALIFIED.value)
    if holder.disabled_worker:
        confirmed.append(Situation.DISABLED_WORKER.value)
    if holder.c2p_confirmed:
        confirmed.append(Situation.C2P.value)
    if holder.work_accident_rate is not None:
        confirmed.append(Situation.WORK_ACCIDENT.value)
    return confirmed


def pending_situations(holder: Holder) -> list[str]:
    return list(
        StatusProof.objects.filter(holder=holder, status=CheckStatus.PENDING)
        .order_by("created_at")
        .values_list("situation", flat=True)
    )


def _declare(holder: Holder, situations: list[str]) -> None:
    for situation in situations:
        if not StatusProof.objects.filter(holder=holder, situation=situation, status=CheckStatus.PENDING).exists():
            StatusProof.objects.create(holder=holder, situation=situation)


def split_declaration(*, holder_fields: dict, current: Holder | None) -> tuple[dict, list[str]]:
    """(what may be written now, situations to declare as pending). A new holder starts as an employee."""
    base = current or Holder(status=HolderStatus.EMPLOYEE, low_qualified=False, disabled_worker=False)
    declared = [situation for situation, is_upgrade in _UPGRADES.items() if is_upgrade(holder_fields, base)]
    allowed = dict(holder_fields)
    if Situation.JOB_SEEKER in declared:
        allowed["status"] = base.status if current else HolderStatus.EMPLOYEE
    if Situation.LOW_QUALIFIED in declared:
        allowed["low_qualified"] = base.low_qualified
    if Situation.DISABLED_WORKER in declared:
        allowed["disabled_worker"] = base.disabled_worker
    return allowed, declared


def holder_register_declaring(*, data: accounts.HolderData, password: str, language: str) -> accounts.Registration:
    """Registration where the favourable situations declared are pending until proven."""
    fields = {"status": data.status, "low_qualified": data.low_qualified, "disabled_worker": data.disabled_worker}
    allowed, declared = split_declaration(holder_fields=fields, current=None)
    with transaction.atomic():
        registration = accounts.holder_register_or_notify(
            data=replace(data, **allowed), password=password, language=language
        )
        if registration.holder is not None:
            _declare(registration.holder, declared)
    return registration


@transaction.atomic
def holder_update_declaring(*, holder: Holder, changes: dict, ip: str | None = None) -> tuple[list[str], list[str]]:
    """ "My information": other fields change at once; a favourable situation becomes pending. Returns (changed
    fields, situations now pending)."""
    allowed, declared = split_declaration(holder_fields=changes, current=holder)
    changed = accounts.holder_update(holder=holder, changes=allowed, ip=ip)
    _declare(holder, declared)
    return changed, declared


def parse_rate(raw) -> Decimal:
    """The incapacity rate as a share: "0.12", "12" and "12 %" all mean 12 %."""
    text = str(raw if raw is not None else "").replace("%", "").replace(",", ".").strip()
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise IdentityCheckError({"rate": [_("Enter the rate, for example 12 for 12 %.")]})
    if rate > 1:
        rate = rate / 100
    if not (0 < rate <= 1) or not rate.is_finite():
        raise IdentityCheckError({"rate": [_("Enter a rate between 1 and 100 %.")]})
    return rate.quantize(Decimal("0.0001"))


def status_proof_file(*, user: User, situation: str, upload, rate=None, ip: str | None = None) -> StatusProof:
    """A proof for a situation (a pending declaration without a document gets this one)."""
    holder = getattr(user, "holder", None) if user.is_holder else None
    if holder is None:
        raise IdentityCheckError(_("Only an account holder can send a proof."), status=403, code="forbidden")
    if situation not in Situation.values:
        raise IdentityCheckError({"situation": [_("Choose one of the situations.")]})
    share = parse_rate(rate) if situation == Situation.WORK_ACCIDENT else None
    if upload is None:
        raise IdentityCheckError({"document": [_("This field is required.")]})
    try:
        (checked,) = evidence.evidence_check([upload])
    except evidence.EvidenceError as error:
        raise IdentityCheckError({"document": [error.message]})
    pending = StatusProof.objects.filter(holder=holder, situation=situation, status=CheckStatus.PENDING).first()
    if pending is not None and pending.document_storage_name:
        raise IdentityCheckError(
            _("A proof of this situation is already waiting for an agent."), status=409, code="already_pending"
        )
    name = evidence.evidence_write(checked)
    try:
        with transaction.atomic():
            if pending is None:
                pending = StatusProof(holder=holder, situation=situation)
            pending.rate = share
            pending.document_storage_name = name
            pending.document_content_type = checked.content_type
            pending.created_at = timezone.now()
            pending.save()
            accounts.audit(actor=user, action="status_proof_filed", target=f"status_proof:{pending.pk}", ip=ip)
    except IntegrityError:
        evidence.evidence_delete([name])
        raise IdentityCheckError(
            _("A proof of this situation is already waiting for an agent."), status=409, code="already_pending"
        )
    except BaseException:
        evidence.evidence_delete([name])
        raise
    return pending


def _apply(proof: StatusProof) -> None:
    """The one place where a confirmed situation reaches the fields that rights and the contribution read."""
    field = {
        Situation.JOB_SEEKER: {"status": HolderStatus.JOB_SEEKER},
        Situation.LOW_QUALIFIED: {"low_qualified": True},
        Situation.DISABLED_WORKER: {"disabled_worker": True},
        Situation.C2P: {"c2p_confirmed": True},
        Situation.WORK_ACCIDENT: {"work_accident_rate": proof.rate},
    }[proof.situation]
    Holder.objects.filter(pk=proof.holder_id).update(**field, updated_at=timezone.now())


def _tell(proof: StatusProof, step: str) -> None:
    accounts.notify(
        user=proof.holder.user,
        template_prefix="emails/status_proof",
        context={"situation": proof.get_situation_display(), "step": step, "reason": proof.reason},
    )


def _approve(proof: StatusProof, *, agent: User, now, ip: str | None = None) -> str:
    if proof.situation == Situation.WORK_ACCIDENT and proof.rate is None:
        raise IdentityCheckError(_("The rate is missing: ask the holder for the proof."), status=409, code="no_rate")
    _apply(proof)
    return "approved"


STATUS_PROOFS = review.ReviewKind(
    name="status_proof",
    model=StatusProof,
    pending=CheckStatus.PENDING,
    approved=CheckStatus.APPROVED,
    refused=CheckStatus.REJECTED,
    approve=_approve,
    tell=_tell,
    document_opened="status_proof_opened",
    already_decided=gettext_lazy("This proof was already decided."),
    reason_for=gettext_lazy("Say why, for the holder."),
)


def status_proof_approve(*, proof_id: int, agent: User, ip: str | None = None) -> StatusProof:
    return review.review_approve(kind=STATUS_PROOFS, item_id=proof_id, agent=agent, ip=ip)


def status_proof_reject(*, proof_id: int, agent: User, reason: str, ip: str | None = None) -> StatusProof:
    return review.review_refuse(kind=STATUS_PROOFS, item_id=proof_id, agent=agent, reason=reason, ip=ip)
