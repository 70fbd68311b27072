"""During the training: the entry, an abandonment and the exit ("service fait"), each settled by
`settlement`."""

import datetime

from django.db import transaction

from opencpf.accounts.models import User
from opencpf.dossiers import rules
from opencpf.dossiers.enums import (
    Action,
    Ending,
    Refusal,
)
from opencpf.dossiers.models import (
    Dossier,
)
from opencpf.dossiers.payments import PaymentProvider
from opencpf.dossiers.services.core import (
    _apply,
    _claim,
    _now,
    _refusal,
    _share,
    _text,
)
from opencpf.dossiers.services.settlement import _settle_move, _settlement_details

# --- training --------------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_declare_entry(
    *, dossier_id: int, user: User, ip: str | None = None, now: datetime.datetime | None = None
) -> Dossier:
    now = _now(now)
    today = rules.paris_date(now)
    dossier, move, actor = _claim(dossier_id, Action.DECLARE_ENTRY, user, organisation=True)
    verdict = rules.can_declare_entry(today=today, start=dossier.proposal_start)
    if not verdict:
        raise _refusal(verdict.refusals[0])
    _apply(dossier, move, actor=actor, user=user, now=now, ip=ip, entered_at=now)
    return dossier


@transaction.atomic
def dossier_declare_abandonment(
    *,
    dossier_id: int,
    user: User,
    attendance_percent,
    reason: str,
    force_majeure: bool = False,
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """The holder left the training: without force majeure the rights are lost and the organisation is paid by
    attendance (the minimum share at least, pro rata, in full above the threshold); with force majeure the
    organisation gets the share attended and the unused part comes back to the holder."""
    now = _now(now)
    dossier, move, actor = _claim(dossier_id, Action.DECLARE_ABANDONMENT, user, organisation=True)
    attendance = _share(attendance_percent, "attendance_percent")
    reason = _text(reason, "reason", required=True)
    ending = Ending.FORCE_MAJEURE if force_majeure else Ending.ABANDONMENT
    fields = _settle_move(dossier, move, ending, now=now, reason=reason, attendance=attendance, provider=provider)
    _apply(
        dossier,
        move,
        actor=actor,
        user=user,
        now=now,
        ip=ip,
        reason=reason,
        details={**_settlement_details(fields), "attendance": f"{attendance}"},
        attendance_share=attendance,
        force_majeure=bool(force_majeure),
        cancel_reason=reason,
        **fields,
    )
    return dossier


@transaction.atomic
def dossier_declare_exit(
    *,
    dossier_id: int,
    user: User,
    completion_percent,
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """ "Service fait": the organisation declares the exit with the share of the training delivered; it is owed
    that share of the price (the attendance scale) within the payment delay, the rest returns to the holder."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier, move, actor = _claim(dossier_id, Action.DECLARE_EXIT, user, organisation=True)
    completion = _share(completion_percent, "completion_percent")
    verdict = rules.can_declare_exit(today=today, end=dossier.proposal_end, completion=completion)
    if not verdict:
        raise _refusal(
            verdict.refusals[0],
            field="completion_percent" if verdict.refusals[0] == Refusal.SHARE_OUT_OF_RANGE else "__all__",
        )
    fields = _settle_move(
        dossier, move, Ending.COMPLETION, now=now, reason="", attendance=completion, provider=provider
    )
    _apply(
        dossier,
        move,
        actor=actor,
        user=user,
        now=now,
        ip=ip,
        details={**_settlement_details(fields), "completion": f"{completion}"},
        exited_at=now,
        completion_share=completion,
        **fields,
    )
    return dossier
