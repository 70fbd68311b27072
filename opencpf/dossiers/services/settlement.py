"""Settlement of engaged money by the cancellation table, and the endings before the training: cancellations,
no-show, and the lapse of files whose entry was never declared. The endings during the training are in
`training`."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.dossiers import rules
from opencpf.dossiers.enums import (
    SETTLEMENTS,
    Action,
    Actor,
    DossierState,
    Ending,
    Transition,
    TransitionNotAllowed,
    transition,
)
from opencpf.dossiers.models import (
    Dossier,
    OrganisationPayment,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import PaymentProvider, payment_provider
from opencpf.dossiers.selectors import engagement_of
from opencpf.dossiers.services.core import (
    ZERO,
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
from opencpf.rights.enums import REASON_SEPARATOR
from opencpf.rights.services.settlement import rights_forfeit, rights_restore

# --- settlement of engaged money -------------------------------------------------------------------------------


def _by_bucket(pairs) -> dict:
    result: dict = {}
    for key, amount in pairs:
        if amount > 0:
            result[key] = result.get(key, ZERO) + amount
    return result


def _settle(
    dossier: Dossier,
    ending: Ending,
    *,
    now: datetime.datetime,
    reason: str,
    attendance: Decimal | None = None,
    provider: PaymentProvider | None = None,
    despite_expiry: bool = False,
) -> dict:
    """Restore, forfeit, refund and owe exactly what the row `ending` of the cancellation table says.
    `despite_expiry`: restored top-ups stay usable even if their expiry date passed meanwhile (a confirmed scam).

    Returns the fields to store on the file. What the organisation is paid comes out of the consumed money
    (forfeited rights and the card payment kept) in proportion, so that each euro paid has a source.
    """
    today = rules.paris_date(now)
    params = dossier_parameters(today)
    engagement = engagement_of(dossier)
    outcome = rules.cancellation_outcome(engagement, ending, params=params, attendance=attendance)
    consumed = [bucket.forfeited for bucket in outcome.buckets] + [outcome.card_kept]
    to_organisation = rules.split_pro_rata(outcome.organisation_payment, consumed)
    restore = _by_bucket((b.bucket_id, b.restored) for b in outcome.buckets)
    spent = _by_bucket((b.bucket_id, part) for b, part in zip(outcome.buckets, to_organisation, strict=False))
    lost = _by_bucket(
        (b.bucket_id, b.forfeited - part) for b, part in zip(outcome.buckets, to_organisation, strict=False)
    )
    # Stored as the English source so that the holder's history shows it in the language they read it in
    # (opencpf.rights.selectors translates it at display); the free reason is kept as written.
    with translation.override(None):
        label = str(Ending(ending).label)
    why = f"{label}{REASON_SEPARATOR}{reason}" if reason else label
    lost_to_cap = ZERO
    if restore:
        restoration = rights_restore(
            holder=dossier.holder,
            dossier_id=dossier.pk,
            on_date=today,
            by_bucket=restore,
            reason=why,
            despite_expiry=despite_expiry,
        )
        lost_to_cap = restoration.lost_to_cap
    pay_before = None
    if outcome.organisation_payment > 0:
        pay_before = rules.pay_before(today, params)
        payment = OrganisationPayment.objects.create(
            dossier=dossier,
            organisation_id=dossier.organisation_id,
            amount=outcome.organisation_payment,
            from_rights=sum(to_organisation[:-1], ZERO),
            from_card=to_organisation[-1],
            ending=ending,
            due_on=pay_before,
            created_at=now,
        )
        if spent:  # each euro of rights paid is a ledger row linked to this payment
            rights_forfeit(
                holder=dossier.holder,
                dossier_id=dossier.pk,
                on_date=today,
                by_bucket=spent,
                reason=why,
                organisation_payment_id=payment.pk,
            )
    if lost:
        rights_forfeit(holder=dossier.holder, dossier_id=dossier.pk, on_date=today, by_bucket=lost, reason=why)
    if outcome.holder_refund > 0:
        provider = provider or payment_provider()
        charge = Payment.objects.get(dossier=dossier, kind=PaymentKind.CHARGE, status=PaymentStatus.SUCCEEDED)
        refund = provider.refund(
            charge_reference=charge.provider_reference,
            amount=outcome.holder_refund,
            idempotency_key=f"dossier-{dossier.pk}-settle",
        )
        Payment.objects.create(
            dossier=dossier,
            kind=PaymentKind.REFUND,
            amount=refund.amount,
            status=PaymentStatus.SUCCEEDED,
            provider=charge.provider,
            provider_reference=refund.reference,
            card_last4=charge.card_last4,
            created_at=now,
        )
    return {
        "ending": ending,
        "settled_at": now,
        "restored_amount": outcome.restored - lost_to_cap,
        "forfeited_amount": outcome.forfeited + lost_to_cap,
        "holder_refund": outcome.holder_refund,
        "organisation_amount": outcome.organisation_payment,
        "pay_before": pay_before,
    }


def _settlement_details(fields: dict) -> dict:
    return {
        "ending": str(fields["ending"]),
        "restored": f"{fields['restored_amount']:.2f}",
        "forfeited": f"{fields['forfeited_amount']:.2f}",
        "refund": f"{fields['holder_refund']:.2f}",
        "organisation": f"{fields['organisation_amount']:.2f}",
    }


def _settle_move(dossier: Dossier, move: Transition, ending: Ending, **kwargs) -> dict:
    allowed = SETTLEMENTS.get((move.source, move.action))
    if allowed is None:
        return {}
    if ending not in allowed:  # pragma: no cover - a programming error, the table says which rows apply
        raise ValueError(f"{ending} does not settle {move.source} {move.action}")
    return _settle(dossier, ending, **kwargs)


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
        if actor == Actor.HOLDER:
            ending = rules.holder_cancellation_ending(today, dossier.proposal_start, dossier_parameters(today))
        else:
            ending = Ending.BY_ORGANISATION
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


# --- the platform: lapses and payments -------------------------------------------------------------------------


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
