"""The endings of a file before the training, each settled by `settlement`: cancellations (by the holder, the
organisation or an agent), a no-show, the lapse of a file whose entry was never declared, and the cancellation for
a confirmed scam. The endings during the training are in `training`."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.dossiers import rules
from opencpf.dossiers.enums import (
    SETTLEMENTS,
    Action,
    Actor,
    DossierState,
    Ending,
    TransitionNotAllowed,
    transition,
)
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import PaymentProvider
from opencpf.dossiers.services.core import (
    S,
    _actor,
    _apply,
    _claim,
    _lock,
    _not_allowed,
    _now,
    _refusal,
    _text,
)
from opencpf.dossiers.services.settlement import _settle_move, _settlement_details

# --- cancellations ---------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_cancel(
    *,
    dossier_id: int,
    user: User,
    reason: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """Cancel a file: by its holder (everything restored before the free-cancellation delay, rights lost and the
    late cancellation share to the organisation later), or by the organisation or an agent (everything restored;
    reason needed)."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier = _lock(dossier_id)
    actor = _actor(dossier, user, holder=True, organisation=True)
    action = Action.CANCEL_BY_HOLDER if actor == Actor.HOLDER else Action.CANCEL_BY_ORGANISATION
    try:
        move = transition(DossierState(dossier.state), action, actor)
    except TransitionNotAllowed as error:
        raise _not_allowed(error)
    reason = _text(reason, "reason", required=actor != Actor.HOLDER)
    fields: dict = {"cancel_reason": reason}
    if dossier.state in (S.CONFIRMED, S.IN_TRAINING):
        params = dossier_parameters(today)
        ending = rules.cancellation_ending(today, dossier.proposal_start, params, by_holder=actor == Actor.HOLDER)
        fields.update(_settle_move(dossier, move, ending, now=now, reason=reason, provider=provider))
    details = _settlement_details(fields) if "ending" in fields else {}
    _apply(dossier, move, actor=actor, user=user, now=now, ip=ip, reason=reason, details=details, **fields)
    return dossier


@transaction.atomic
def dossier_declare_no_show(
    *,
    dossier_id: int,
    user: User,
    reason: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """The holder did not come: rights lost, the organisation gets the late cancellation share."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier, move, actor = _claim(dossier_id, Action.DECLARE_NO_SHOW, user, organisation=True)
    verdict = rules.can_declare_entry(today=today, start=dossier.proposal_start)
    if not verdict:
        raise _refusal(verdict.refusals[0])
    reason = _text(reason, "reason", required=False)
    fields = _settle_move(dossier, move, Ending.NO_SHOW, now=now, reason=reason, provider=provider)
    _apply(
        dossier,
        move,
        actor=actor,
        user=user,
        now=now,
        ip=ip,
        reason=reason,
        details=_settlement_details(fields),
        cancel_reason=reason,
        **fields,
    )
    return dossier


# --- the platform: lapses --------------------------------------------------------------------------------------


@transaction.atomic
def dossier_lapse_unentered(
    *,
    dossier_id: int,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
    notify: bool = True,
) -> Dossier | None:
    """A confirmed file whose entry was never declared (past the entry declaration delay): no service, so it is
    settled like a cancellation by the organisation (everything restored). None if it is no longer overdue.
    The move's event id is left on the returned file as `event_id`."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier = _lock(dossier_id, frozen_ok=True)
    if dossier.state != S.CONFIRMED or dossier.declare_entry_before >= today or dossier.frozen_at is not None:
        return None
    move = transition(S.CONFIRMED, Action.LAPSE, Actor.SYSTEM)
    reason = _("The organisation did not declare the entry into training in time.")
    fields = _settle_move(dossier, move, Ending.BY_ORGANISATION, now=now, reason=reason, provider=provider)
    event = _apply(
        dossier,
        move,
        actor=Actor.SYSTEM,
        user=None,
        now=now,
        reason=reason,
        details={**_settlement_details(fields), "deadline": "declare_entry_before"},
        notify=notify,
        **fields,
    )
    dossier.event_id = event.pk
    return dossier


# --- a confirmed scam ------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_cancel_for_fraud(
    *,
    dossier_id: int,
    user: User,
    reason: str,
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """An agent confirmed the scam a report names this file in (DESIGN §2.6): the file ends `cancelled_fraud`;
    engaged money goes back to the bucket it came from (top-ups even if they expired meanwhile), the card payment
    is refunded in full through the provider, and the organisation is owed nothing. Only an agent; the file may be
    (and usually is) frozen."""
    now = _now(now)
    if user is None or not user.is_agent or not user.is_active:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can do this."))
    dossier = _lock(dossier_id, frozen_ok=True)
    try:
        move = transition(DossierState(dossier.state), Action.CANCEL_FOR_FRAUD, Actor.AGENT)
    except TransitionNotAllowed as error:
        raise _not_allowed(error)
    reason = _text(reason, "reason", required=True)
    fields: dict = {"cancel_reason": reason, "frozen_at": None}
    details: dict = {}
    if SETTLEMENTS.get((move.source, move.action)):
        fields.update(
            _settle_move(dossier, move, Ending.FRAUD, now=now, reason=reason, provider=provider, despite_expiry=True)
        )
        details = _settlement_details(fields)
    _apply(dossier, move, actor=Actor.AGENT, user=user, now=now, ip=ip, reason=reason, details=details, **fields)
    return dossier
