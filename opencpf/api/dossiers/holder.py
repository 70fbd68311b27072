"""The holder's moves: register, accept and pay, cancel (also the organisation's and an agent's), evaluate."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from opencpf.api.auth import bearer
from opencpf.api.dossiers.common import answer
from opencpf.api.dossiers.schemas import (
    ACTION_RESPONSES,
    AcceptIn,
    EvaluateIn,
    ReasonIn,
)
from opencpf.api.errors import ApiError
from opencpf.api.schemas import Id
from opencpf.dossiers import rules, services
from opencpf.dossiers.payments import InvalidCard, card_from_input

router = Router(tags=["Training files"], auth=bearer)


@router.post(
    "/dossiers/{dossier_id}/accept",
    response=ACTION_RESPONSES,
    summary="Accept the proposal and pay (holder)",
    description="Engages the rights and charges the card in one step, all or nothing. SANDBOX provider: "
    "4242 4242 4242 4242 is accepted, 4000 0000 0000 0002 is declined (402); no money moves.",
)
def accept(request, dossier_id: Id, payload: AcceptIn):
    card = None
    if payload.card is not None:
        try:
            card = card_from_input(**payload.card.dict(), today=rules.paris_date(timezone.now()))
        except InvalidCard as error:
            raise ApiError(400, {f"card.{field}": messages for field, messages in error.errors.items()})
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_accept(
            dossier_id=dossier_id,
            user=request.auth,
            card=card,
            expected_card_amount=payload.expected_card_amount,
            ip=ip,
        ),
    )


@router.post(
    "/dossiers/{dossier_id}/cancel",
    response=ACTION_RESPONSES,
    summary="Cancel the file (holder, organisation or agent)",
    description="By the holder: everything restored more than `dossiers/free_cancellation_days` business days "
    "before the start, rights lost and the `dossiers/late_cancellation_share` of the price to the organisation "
    "later (legal parameters in force). By the organisation or an agent (reason required): everything restored. "
    "See GET /dossiers/{id}/cancellation first.",
)
def cancel(request, dossier_id: Id, payload: ReasonIn):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_cancel(dossier_id=dossier_id, user=request.auth, reason=payload.reason, ip=ip),
    )


@router.post(
    "/dossiers/{dossier_id}/evaluate",
    response=ACTION_RESPONSES,
    summary="Confirm the training took place and rate it (holder, after the end)",
)
def evaluate(request, dossier_id: Id, payload: EvaluateIn):
    if payload.took_place and payload.ratings is None:
        raise ApiError(400, {"ratings": [_("Give a rating from 1 to 5 for each criterion.")]})
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_evaluate(
            dossier_id=dossier_id,
            user=request.auth,
            took_place=payload.took_place,
            ratings=payload.ratings.dict() if payload.ratings else None,
            comment=payload.comment,
            ip=ip,
        ),
    )
