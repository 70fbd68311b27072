"""The holder's request and the organisation's answer: register, propose, refuse."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from opencpf.accounts.models import Holder, User
from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.selectors import organisation_is_public
from opencpf.dossiers import notifications, rules
from opencpf.dossiers.enums import (
    OPEN_REQUEST_STATES,
    Action,
    Actor,
    Refusal,
    transition,
)
from opencpf.dossiers.models import (
    OPEN_STATES,
    Dossier,
    DossierEvent,
)
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.services.core import (
    CENT,
    MAX_PRICE,
    DossierError,
    _apply,
    _claim,
    _invalid,
    _now,
    _refusal,
    _text,
    holder_of,
)
from opencpf.utils.formatting import long_date
from opencpf.utils.legal import legal_value

# --- holder: register ------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_register(
    *, user: User, session_id: int, ip: str | None = None, now: datetime.datetime | None = None
) -> Dossier:
    """A holder's request for a session of an offer; the organisation answers within the answer delay."""
    now = _now(now)
    today = rules.paris_date(now)
    holder = holder_of(user)
    if user.email_verified_at is None:  # DESIGN §2.5: nothing but reading before the email is confirmed
        raise DossierError(
            {"__all__": [_("Confirm your email address before registering for a training.")]},
            status=403,
            code="email_unconfirmed",
        )
    move = transition(None, Action.SUBMIT, Actor.HOLDER)
    session = (
        Session.objects.select_related("offer__organisation", "offer__certification").filter(pk=session_id).first()
    )
    if (
        session is None
        or not session.is_active
        or session.start_date < today
        or not session.offer.is_active
        or session.offer.delisted_at is not None  # a sanction (partial delisting): no new file
        or not organisation_is_public(session.offer.organisation, today)
    ):
        raise _invalid({"session_id": [_("This session does not exist or is no longer open for registration.")]})
    offer: Offer = session.offer
    # One registration at a time per holder: the count of open requests below cannot be raced. The lock reads
    # whether the account is closed as it is now.
    closed_on = Holder.objects.select_for_update().filter(pk=holder.pk).values_list("closed_on", flat=True)[0]
    params = dossier_parameters(today)
    mine = Dossier.objects.filter(Q(offer=offer) | Q(session=session), holder=holder).aggregate(
        requests=Count("pk", filter=Q(offer=offer, state__in=OPEN_REQUEST_STATES)),
        for_session=Count("pk", filter=Q(session=session, state__in=OPEN_STATES)),
    )
    verdict = rules.can_register(
        open_requests_for_training=mine["requests"],
        open_file_for_session=mine["for_session"] > 0,
        account_closed=closed_on is not None,
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
    notifications.notify_move(dossier, event)
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
                    % {"date": long_date(earliest), "days": legal_value("dossiers/earliest_start_days", on=today)}
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
