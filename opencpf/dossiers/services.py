"""Every move of a training file, and the money it moves (DESIGN §2.2, §2.3).

Each service, in one transaction:
  1. locks the file (`SELECT … FOR UPDATE`) and asks `enums.transition(state, action, actor)` whether the move is
     allowed, then checks the deadlines and inputs with the pure verdicts of `rules`;
  2. moves the money (rights ledger, card provider, organisation's payment) by the row of the cancellation table;
  3. writes the new state with a guarded `UPDATE … WHERE id = … AND state = <from>` (0 rows: refused) and a
     `DossierEvent` (who, when, from which address, why);
  4. sends the emails once the transaction commits (background tasks).
Refusals raise `DossierError` (message for the user, `errors` per field, an HTTP-like `status`): nothing is
written then. Lock order, everywhere: the file, then the holder's rights account.

Services take `now` (an aware datetime, default: the clock) so that tests can pin dates; deadlines are Paris
calendar dates.

    dossier_register(*, user, session_id, ip=None, now=None) -> Dossier
    dossier_propose(*, dossier_id, user, price, start=None, end=None, session_id=None, message="", ...) -> Dossier
    dossier_refuse(*, dossier_id, user, reason, ...) -> Dossier
    dossier_accept(*, dossier_id, user, card=None, expected_card_amount=None, ...) -> Dossier
    dossier_cancel(*, dossier_id, user, reason="", ...) -> Dossier   (holder, organisation or agent)
    dossier_declare_entry / dossier_declare_no_show / dossier_declare_abandonment / dossier_declare_exit
    dossier_evaluate(*, dossier_id, user, took_place, ratings=None, comment="", ...) -> Dossier
    organisation_payment_pay(*, payment_id, user=None, now=None) -> OrganisationPayment
    dossier_lapse_unentered(*, dossier_id, now=None) -> Dossier | None
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role
from opencpf.accounts.models import Holder, User
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Offer, OrganisationMember, Session
from opencpf.catalogue.selectors import organisation_is_public
from opencpf.dossiers import notifications, rules
from opencpf.dossiers.enums import (
    OPEN_REQUEST_STATES,
    SETTLEMENTS,
    TERMINAL_STATES,
    Action,
    Actor,
    DossierState,
    Ending,
    Refusal,
    Transition,
    TransitionNotAllowed,
    transition,
)
from opencpf.dossiers.models import (
    OPEN_STATES,
    RATING_CRITERIA,
    Dossier,
    DossierEvent,
    Evaluation,
    OrganisationPayment,
    OrganisationPaymentStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import Card, PaymentDeclined, PaymentProvider, payment_provider
from opencpf.dossiers.selectors import engagement_of, funding_for
from opencpf.rights import services as rights
from opencpf.utils.legal import legal_value

S = DossierState
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_PRICE = Decimal("99999999.99")
MAX_TEXT = 2000
# An organisation whose payments are suspended or that is delisted is not paid until an agent lifts it.
UNPAYABLE_STATUSES = frozenset({OrganisationStatus.PAYMENTS_SUSPENDED, OrganisationStatus.DELISTED})


class DossierError(Exception):
    """A refused action. `errors` maps fields ("__all__" for the file as a whole) to messages for the user;
    `status` is what the API answers (400 bad input, 402 card declined, 403 not yours, 409 not possible now)."""

    def __init__(self, errors: dict[str, list[str]] | str, *, status: int = 409, code: str = ""):
        self.errors = errors if isinstance(errors, dict) else {"__all__": [str(errors)]}
        self.status = status
        self.code = code
        super().__init__("; ".join(message for messages in self.errors.values() for message in messages))


def _invalid(errors: dict[str, list[str]]) -> DossierError:
    return DossierError(errors, status=400, code="invalid")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _refusal(refusal: Refusal, *, field: str = "__all__", status: int = 409) -> DossierError:
    return DossierError({field: [str(refusal.label)]}, status=status, code=refusal.value)


def _not_allowed(error: TransitionNotAllowed) -> DossierError:
    """A move the table does not allow from the file's state, said plainly."""
    state, action = error.state, error.action
    code = "not_allowed"
    if action in (Action.DECLARE_EXIT, Action.DECLARE_ABANDONMENT) and state == S.CONFIRMED:
        code = "entry_not_declared"
    if action == Action.DECLARE_EXIT and state == S.CONFIRMED:
        message = _("The entry into training has not been declared: declare it before the exit.")
    elif action == Action.DECLARE_ABANDONMENT and state == S.CONFIRMED:
        message = _("The entry into training has not been declared: declare a no-show or the entry first.")
    else:
        message = _("This is not possible on a file in the state “%(state)s”.") % {
            "state": DossierState(state).label if state else "—"
        }
    return DossierError({"__all__": [message]}, status=409, code=code)


# --- who acts --------------------------------------------------------------------------------------------------


def holder_of(user: User) -> Holder:
    holder = getattr(user, "holder", None) if user and user.role == Role.HOLDER else None
    if holder is None:
        raise PermissionDenied(_("Only an account holder can do this."))
    return holder


def is_member(user: User, organisation_id: int) -> bool:
    return bool(
        user
        and user.role == Role.ORGANISATION_STAFF
        and OrganisationMember.objects.filter(user=user, organisation_id=organisation_id).exists()
    )


def _actor(dossier: Dossier, user: User, *, holder: bool = False, organisation: bool = False) -> Actor:
    """Who `user` is for this file among the sides allowed; PermissionDenied otherwise (views answer 404)."""
    if holder and user and user.role == Role.HOLDER and dossier.holder.user_id == user.pk:
        return Actor.HOLDER
    if organisation and is_member(user, dossier.organisation_id):
        return Actor.ORGANISATION
    if organisation and user and user.is_agent:
        return Actor.AGENT
    raise PermissionDenied(_("This training file is not yours."))


# --- the move itself -------------------------------------------------------------------------------------------


def _lock(dossier_id: int) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("holder__user", "organisation", "offer", "session")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise DossierError({"__all__": [_("This training file does not exist.")]}, status=404, code="not_found")
    return dossier


def _claim(dossier_id: int, action: Action, user: User, **sides) -> tuple[Dossier, Transition, Actor]:
    """Lock the file, check that `user` is on an allowed side and that the table allows the move now."""
    dossier = _lock(dossier_id)
    actor = _actor(dossier, user, **sides)
    try:
        move = transition(DossierState(dossier.state), action, actor)
    except TransitionNotAllowed as error:
        raise _not_allowed(error)
    return dossier, move, actor


def _apply(
    dossier: Dossier,
    move: Transition,
    *,
    actor: Actor,
    user: User | None,
    now: datetime.datetime,
    ip: str | None = None,
    reason: str = "",
    details: dict | None = None,
    notify: bool = True,
    **fields,
) -> DossierEvent:
    """The guarded update: the state moves only if it is still the one the move starts from. `notify=False`
    leaves the emails to the caller (bulk moves send them from one background task)."""
    fields.update(state=move.target, updated_at=now)
    if move.target in TERMINAL_STATES:
        fields["closed_at"] = now
    updated = Dossier.objects.filter(pk=dossier.pk, state=move.source).update(**fields)
    if updated != 1:
        raise DossierError(
            {"__all__": [_("This training file changed meanwhile: reload it and try again.")]}, code="changed"
        )
    for name, value in fields.items():
        setattr(dossier, name, value)
    event = DossierEvent.objects.create(
        dossier=dossier,
        from_state=move.source or "",
        to_state=move.target,
        action=move.action,
        actor_kind=actor,
        actor=user if actor != Actor.SYSTEM else None,
        at=now,
        ip_address=ip or None,
        reason=reason,
        details=details or {},
    )
    if notify:
        notifications.notify_move(dossier.pk, event.pk)
    return event


def _text(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _invalid({field: [_("Give the reason.")]})
    if len(value) > MAX_TEXT:
        raise _invalid({field: [_("At most %(count)s characters.") % {"count": MAX_TEXT}]})
    return value


def _share(value, field: str) -> Decimal:
    """A share given in percent (0–100, two decimals at most), returned as a fraction 0–1."""
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise _invalid({field: [_("Enter a percentage between 0 and 100.")]})
    if not percent.is_finite() or not 0 <= percent <= 100 or percent != percent.quantize(CENT):
        raise _invalid({field: [_("Enter a percentage between 0 and 100.")]})
    return (percent / 100).quantize(Decimal("0.0001"))


# --- holder: register ------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_register(
    *, user: User, session_id: int, ip: str | None = None, now: datetime.datetime | None = None
) -> Dossier:
    """A holder's request for a session of an offer; the organisation answers within the answer delay."""
    now = _now(now)
    today = rules.paris_date(now)
    holder = holder_of(user)
    move = transition(None, Action.SUBMIT, Actor.HOLDER)
    session = (
        Session.objects.select_related("offer__organisation", "offer__certification").filter(pk=session_id).first()
    )
    if (
        session is None
        or not session.is_active
        or session.start_date < today
        or not session.offer.is_active
        or not organisation_is_public(session.offer.organisation, today)
    ):
        raise _invalid({"session_id": [_("This session does not exist or is no longer open for registration.")]})
    offer: Offer = session.offer
    # One registration at a time per holder: the count of open requests below cannot be raced.
    Holder.objects.select_for_update().filter(pk=holder.pk).first()
    params = dossier_parameters(today)
    mine = Dossier.objects.filter(holder=holder)
    verdict = rules.can_register(
        open_requests_for_training=mine.filter(offer=offer, state__in=OPEN_REQUEST_STATES).count(),
        open_file_for_session=mine.filter(session=session, state__in=OPEN_STATES).exists(),
        account_closed=holder.closed_on is not None,
        params=params,
    )
    if not verdict:
        raise _refusal(verdict.refusals[0])
    try:
        with transaction.atomic():
            dossier = Dossier.objects.create(
                holder=holder,
                organisation=offer.organisation,
                offer=offer,
                session=session,
                offer_title=offer.title,
                offer_price=offer.price,
                offer_hours=offer.hours,
                certification_code=offer.certification.code,
                state=move.target,
                submitted_at=now,
                respond_before=rules.respond_before(today, params),
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:  # the partial unique index: one open file per holder and session
        raise _refusal(Refusal.ALREADY_REGISTERED)
    event = DossierEvent.objects.create(
        dossier=dossier,
        from_state="",
        to_state=move.target,
        action=move.action,
        actor_kind=Actor.HOLDER,
        actor=user,
        at=now,
        ip_address=ip or None,
    )
    notifications.notify_move(dossier.pk, event.pk)
    return dossier


# --- organisation: answer --------------------------------------------------------------------------------------


def _before_deadline(dossier: Dossier, today: datetime.date, field: str) -> None:
    deadline = getattr(dossier, field)
    if deadline is not None and today > deadline:
        raise _refusal(Refusal.DEADLINE_PASSED)


@transaction.atomic
def dossier_propose(
    *,
    dossier_id: int,
    user: User,
    price,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    session_id: int | None = None,
    message: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """The organisation proposes a session (one of the offer's, or other dates) and a price; the session must
    start no sooner than the minimum delay after the proposal and the price may not exceed the published one."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier, move, actor = _claim(dossier_id, Action.PROPOSE, user, organisation=True)
    _before_deadline(dossier, today, "respond_before")
    params = dossier_parameters(today)
    session = dossier.session
    if session_id is not None and session_id != dossier.session_id:
        session = Session.objects.filter(pk=session_id, offer_id=dossier.offer_id, is_active=True).first()
        if session is None:
            raise _invalid({"session_id": [_("Choose one of this training's open sessions.")]})
    start = start or session.start_date
    end = end or session.end_date
    errors: dict[str, list[str]] = {}
    try:
        price = Decimal(str(price))
        if not price.is_finite() or price != price.quantize(CENT) or price > MAX_PRICE:
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["price"] = [_("Enter a price in euros with at most two decimals.")]
        price = None
    if price is not None and price > dossier.offer_price:
        errors["price"] = [
            _("The price cannot exceed the published price of %(price)s €.") % {"price": f"{dossier.offer_price:.2f}"}
        ]
    if price is not None:
        verdict = rules.can_propose(proposed_on=today, start=start, end=end, price=price, params=params)
        for refusal in verdict.refusals:
            if refusal == Refusal.PRICE_NOT_POSITIVE:
                errors.setdefault("price", []).append(str(refusal.label))
            elif refusal == Refusal.START_TOO_SOON:
                earliest = rules.earliest_start(today, params)
                errors.setdefault("start", []).append(
                    _("The session must start on %(date)s or later (%(days)s from today).")
                    % {"date": earliest.isoformat(), "days": legal_value("dossiers/earliest_start_days", on=today)}
                )
            else:
                errors.setdefault("end", []).append(str(refusal.label))
    message = _text(message, "message", required=False)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            _apply(
                dossier,
                move,
                actor=actor,
                user=user,
                now=now,
                ip=ip,
                session=session,
                proposed_at=now,
                proposal_price=price,
                proposal_start=start,
                proposal_end=end,
                proposal_message=message,
                accept_before=rules.accept_before(today, params),
                details={"price": f"{price:.2f}", "start": start.isoformat(), "end": end.isoformat()},
            )
    except IntegrityError:
        raise _invalid({"session_id": [_("The holder already has an open file for that session.")]})
    return dossier


@transaction.atomic
def dossier_refuse(
    *, dossier_id: int, user: User, reason: str, ip: str | None = None, now: datetime.datetime | None = None
) -> Dossier:
    now = _now(now)
    dossier, move, actor = _claim(dossier_id, Action.REFUSE, user, organisation=True)
    reason = _text(reason, "reason", required=True)
    _apply(dossier, move, actor=actor, user=user, now=now, ip=ip, reason=reason, refusal_reason=reason)
    return dossier


# --- holder: accept and pay ------------------------------------------------------------------------------------


def _record_declined(dossier_id: int, amount: Decimal, card: Card, provider: PaymentProvider, message: str) -> None:
    Payment.objects.create(
        dossier_id=dossier_id,
        kind=PaymentKind.CHARGE,
        amount=amount,
        status=PaymentStatus.DECLINED,
        provider=provider.name,
        card_last4=card.last4,
        message=message[:200],
    )


def dossier_accept(
    *,
    dossier_id: int,
    user: User,
    card: Card | None = None,
    expected_card_amount: Decimal | None = None,
    ip: str | None = None,
    now: datetime.datetime | None = None,
    provider: PaymentProvider | None = None,
) -> Dossier:
    """The holder accepts the proposal: rights are engaged (earmarked top-ups, then those expiring first, then
    acquired rights) and the card pays the flat contribution and any shortfall, all or nothing.

    `expected_card_amount` is what the holder was shown: if the split changed meanwhile (another file used the
    rights), the acceptance is refused rather than charging a different amount.
    """
    now = _now(now)
    today = rules.paris_date(now)
    provider = provider or payment_provider()
    charge = None
    charged = {}
    try:
        with transaction.atomic():
            dossier, move, actor = _claim(dossier_id, Action.ACCEPT, user, holder=True)
            verdict = rules.can_accept(today=today, accept_before=dossier.accept_before)
            if not verdict:
                raise _refusal(verdict.refusals[0])
            holder = dossier.holder
            if holder.closed_on is not None:
                raise _refusal(Refusal.ACCOUNT_CLOSED)
            rights.account_locked(holder)  # the balance cannot move until this file is confirmed or refused
            funding = funding_for(dossier, on=today)
            plan = funding.plan
            if expected_card_amount is not None and Decimal(expected_card_amount) != plan.holder_pays:
                raise DossierError(
                    {
                        "__all__": [
                            _("The amounts changed since you saw them: you now pay %(amount)s € by card. Review them.")
                            % {"amount": f"{plan.holder_pays:.2f}"}
                        ]
                    },
                    code="funding_changed",
                )
            if plan.holder_pays > 0 and card is None:
                raise _invalid(
                    {
                        "card": [
                            _("Enter your card details to pay %(amount)s €.") % {"amount": f"{plan.holder_pays:.2f}"}
                        ]
                    }
                )
            if plan.funded > 0:
                rights.rights_engage(
                    holder=holder,
                    amount=plan.funded,
                    dossier_id=dossier.pk,
                    on_date=today,
                    certification_code=dossier.certification_code,
                    offer_id=dossier.offer_id,
                )
            params = dossier_parameters(today)
            if plan.holder_pays > 0:
                charged = {"amount": plan.holder_pays, "card": card}
                # One key per attempt: a provider replays a key's first answer, so a retry after a declined card
                # (recorded outside this transaction) or after a rolled-back charge must not reuse it.
                attempt = Payment.objects.filter(dossier_id=dossier.pk, kind=PaymentKind.CHARGE).count()
                charge = provider.charge(
                    amount=plan.holder_pays,
                    card=card,
                    description=f"OpenCPF dossier {dossier.pk}",
                    idempotency_key=f"dossier-{dossier.pk}-accept-{attempt}",
                )
                Payment.objects.create(
                    dossier=dossier,
                    kind=PaymentKind.CHARGE,
                    amount=charge.amount,
                    status=PaymentStatus.SUCCEEDED,
                    provider=provider.name,
                    provider_reference=charge.reference,
                    card_last4=charge.last4,
                    created_at=now,
                )
            _apply(
                dossier,
                move,
                actor=actor,
                user=user,
                now=now,
                ip=ip,
                confirmed_at=now,
                contribution=plan.contribution,
                contribution_due=plan.contribution_due,
                contribution_exemption=funding.exemption or "",
                funded_amount=plan.funded,
                card_amount=plan.holder_pays,
                shortfall=plan.shortfall,
                funding=funding.as_json(),
                free_cancellation_until=rules.free_cancellation_until(dossier.proposal_start, params),
                declare_entry_before=rules.declare_entry_before(dossier.proposal_start, params),
                declare_exit_before=rules.declare_exit_before(dossier.proposal_end, params),
                details={"funded": f"{plan.funded:.2f}", "card": f"{plan.holder_pays:.2f}"},
            )
    except PaymentDeclined as error:
        _record_declined(dossier_id, charged["amount"], charged["card"], provider, str(error))
        raise DossierError({"card": [str(error)]}, status=402, code="card_declined")
    except rights.InsufficientRights as error:
        raise DossierError({"__all__": [str(error)]}, code="insufficient_rights")
    except rights.AccountClosed:
        raise _refusal(Refusal.ACCOUNT_CLOSED)
    except BaseException:
        if charge is not None:  # the file did not move: give the money back
            provider.refund(
                charge_reference=charge.reference,
                amount=charge.amount,
                idempotency_key=f"dossier-{dossier_id}-accept-rollback-{charge.reference}",
            )
        raise
    return dossier


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
) -> dict:
    """Restore, forfeit, refund and owe exactly what the row `ending` of the cancellation table says.

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
    label = str(Ending(ending).label)
    why = f"{label} — {reason}" if reason else label
    lost_to_cap = ZERO
    if restore:
        restoration = rights.rights_restore(
            holder=dossier.holder, dossier_id=dossier.pk, on_date=today, by_bucket=restore, reason=why
        )
        lost_to_cap = restoration.lost_to_cap
    if spent:
        rights.rights_forfeit(
            holder=dossier.holder, dossier_id=dossier.pk, on_date=today, by_bucket=spent, reason=why, spent=True
        )
    if lost:
        rights.rights_forfeit(holder=dossier.holder, dossier_id=dossier.pk, on_date=today, by_bucket=lost, reason=why)
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
    pay_before = None
    if outcome.organisation_payment > 0:
        pay_before = rules.pay_before(today, params)
        OrganisationPayment.objects.create(
            dossier=dossier,
            organisation_id=dossier.organisation_id,
            amount=outcome.organisation_payment,
            from_rights=sum(to_organisation[:-1], ZERO),
            from_card=to_organisation[-1],
            ending=ending,
            due_on=pay_before,
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
    dossier = _lock(dossier_id)
    if dossier.state != S.CONFIRMED or dossier.declare_entry_before >= today:
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


def _transfer_reference(payment: OrganisationPayment, now: datetime.datetime) -> str:
    return f"OPENCPF-{now:%Y%m%d}-{payment.pk}"


@transaction.atomic
def organisation_payment_pay(
    *, payment_id: int, user: User | None = None, now: datetime.datetime | None = None
) -> OrganisationPayment:
    """Pay the organisation what a file owes it (an agent, or the platform's periodic task with `user=None`).
    A completed file becomes `paid`. Refused while the organisation's payments are suspended; a payment held
    because the holder said the training did not take place is paid only by an agent."""
    now = _now(now)
    if user is not None and not user.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can pay an organisation."))
    payment = (
        OrganisationPayment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise DossierError({"__all__": [_("This payment does not exist.")]}, status=404, code="not_found")
    if payment.status == OrganisationPaymentStatus.PAID:
        raise DossierError({"__all__": [_("This payment was already made.")]}, code="already_paid")
    if payment.status == OrganisationPaymentStatus.HELD and user is None:
        raise DossierError({"__all__": [_("This payment is held for an agent's review.")]}, code="held")
    if payment.organisation.status in UNPAYABLE_STATUSES:
        raise DossierError(
            {"__all__": [_("The organisation's payments are suspended.")]}, code="organisation_payments_suspended"
        )
    reference = _transfer_reference(payment, now)
    updated = OrganisationPayment.objects.filter(pk=payment.pk, status=payment.status).update(
        status=OrganisationPaymentStatus.PAID, paid_at=now, paid_by=user, reference=reference
    )
    if updated != 1:  # pragma: no cover - the row is locked
        raise DossierError({"__all__": [_("This payment changed meanwhile.")]}, code="changed")
    payment.status, payment.paid_at, payment.paid_by, payment.reference = "paid", now, user, reference
    dossier = _lock(payment.dossier_id)
    if dossier.state == S.COMPLETED:
        actor = Actor.AGENT if user is not None else Actor.SYSTEM
        move = transition(S.COMPLETED, Action.PAY, actor)
        _apply(
            dossier,
            move,
            actor=actor,
            user=user,
            now=now,
            details={"amount": f"{payment.amount:.2f}", "reference": reference},
        )
    return payment


# --- after the end: the holder's word and ratings -----------------------------------------------------------------


def _ratings(ratings: Mapping[str, object] | None) -> dict[str, int]:
    errors = {}
    clean = {}
    for name in RATING_CRITERIA:
        value = (ratings or {}).get(name)
        try:
            number = int(str(value))
            if str(number) != str(value).strip() or not 1 <= number <= 5:
                raise ValueError
            clean[name] = number
        except (TypeError, ValueError):
            errors[name] = [_("Give a rating from 1 to 5.")]
    if errors:
        raise _invalid(errors)
    return clean


def _offer_rating_add(offer_id: int, scores: dict[str, int]) -> None:
    """Add one evaluation to the offer's public averages (overall and per criterion)."""
    from opencpf.catalogue.services import offer_rating_update

    offer = Offer.objects.select_for_update().get(pk=offer_id)
    count = offer.rating_count
    overall = Decimal(sum(scores.values())) / len(scores)
    old = offer.rating_average or ZERO
    average = (old * count + overall) / (count + 1)
    details = {}
    for name, score in scores.items():
        previous = Decimal(str((offer.rating_details or {}).get(name, old or score)))
        details[name] = (previous * count + score) / (count + 1)
    offer_rating_update(offer=offer, average=average, count=count + 1, details=details)


@transaction.atomic
def dossier_evaluate(
    *,
    dossier_id: int,
    user: User,
    took_place: bool,
    ratings: Mapping[str, object] | None = None,
    comment: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """After the end, the holder confirms the training took place and rates it (1–5 on five criteria, optional
    comment, shown without their name on the offer). If they say it did not take place, the organisation's
    payment is held for an agent. Once per file; not a move of the state machine."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier = _lock(dossier_id)
    _actor(dossier, user, holder=True)
    if dossier.state not in (S.COMPLETED, S.PAID) or today < dossier.proposal_end:
        raise DossierError(
            {"__all__": [_("You can evaluate a training once it has ended and its exit has been declared.")]},
            code="not_allowed",
        )
    if dossier.took_place is not None:
        raise DossierError({"__all__": [_("You have already answered for this training.")]}, code="already_evaluated")
    comment = _text(comment, "comment", required=False)
    if took_place:
        scores = _ratings(ratings)
        Evaluation.objects.create(
            dossier=dossier, offer_id=dossier.offer_id, comment=comment, created_at=now, **scores
        )
        _offer_rating_add(dossier.offer_id, scores)
    else:
        OrganisationPayment.objects.filter(dossier=dossier, status=OrganisationPaymentStatus.DUE).update(
            status=OrganisationPaymentStatus.HELD
        )
    Dossier.objects.filter(pk=dossier.pk).update(took_place=bool(took_place), updated_at=now)
    dossier.took_place = bool(took_place)
    from opencpf.accounts.services import audit

    audit(
        actor=user,
        action="dossier_evaluated" if took_place else "dossier_reported_not_delivered",
        target=f"dossier:{dossier.pk}",
        ip=ip,
    )
    return dossier


__all__ = [
    "DossierError",
    "dossier_accept",
    "dossier_cancel",
    "dossier_declare_abandonment",
    "dossier_declare_entry",
    "dossier_declare_exit",
    "dossier_declare_no_show",
    "dossier_evaluate",
    "dossier_lapse_unentered",
    "dossier_propose",
    "dossier_refuse",
    "dossier_register",
    "organisation_payment_pay",
]
