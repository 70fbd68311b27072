"""The organisation's moves: propose, refuse, declare entry, exit, no-show, abandonment; an agent pays."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router

from opencpf.accounts.enums import Role
from opencpf.api.auth import bearer
from opencpf.api.dossiers.common import answer, visible_dossier
from opencpf.api.dossiers.schemas import (
    ACTION_RESPONSES,
    AbandonmentIn,
    ExitIn,
    ProposeIn,
    ReasonIn,
    RequiredReasonIn,
)
from opencpf.api.errors import ApiError
from opencpf.api.schemas import Id
from opencpf.dossiers import services
from opencpf.dossiers.models import OrganisationPayment

router = Router(tags=["Training files"], auth=bearer)


@router.post(
    "/dossiers/{dossier_id}/propose",
    response=ACTION_RESPONSES,
    summary="Propose a session and a price (organisation)",
)
def propose(request, dossier_id: Id, payload: ProposeIn):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_propose(
            dossier_id=dossier_id,
            user=request.auth,
            price=payload.price,
            session_id=payload.session_id,
            start=payload.start,
            end=payload.end,
            message=payload.message,
            ip=ip,
        ),
    )


@router.post("/dossiers/{dossier_id}/refuse", response=ACTION_RESPONSES, summary="Refuse with a reason")
def refuse(request, dossier_id: Id, payload: RequiredReasonIn):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_refuse(dossier_id=dossier_id, user=request.auth, reason=payload.reason, ip=ip),
    )


@router.post(
    "/dossiers/{dossier_id}/declare-entry",
    response=ACTION_RESPONSES,
    summary="Declare the entry into training (organisation, from the first day)",
)
def declare_entry(request, dossier_id: Id):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_entry(dossier_id=dossier_id, user=request.auth, ip=ip),
    )


@router.post(
    "/dossiers/{dossier_id}/declare-exit",
    response=ACTION_RESPONSES,
    summary="Declare the exit, service completed (organisation, from the last day)",
)
def declare_exit(request, dossier_id: Id, payload: ExitIn):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_exit(
            dossier_id=dossier_id, user=request.auth, completion_percent=payload.completion_percent, ip=ip
        ),
    )


@router.post(
    "/dossiers/{dossier_id}/declare-no-show",
    response=ACTION_RESPONSES,
    summary="Declare that the holder did not come (organisation, from the first day)",
)
def declare_no_show(request, dossier_id: Id, payload: ReasonIn):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_no_show(
            dossier_id=dossier_id, user=request.auth, reason=payload.reason, ip=ip
        ),
    )


@router.post(
    "/dossiers/{dossier_id}/declare-abandonment",
    response=ACTION_RESPONSES,
    summary="Declare an abandonment (organisation or agent)",
)
def declare_abandonment(request, dossier_id: Id, payload: AbandonmentIn):
    return answer(
        request,
        dossier_id,
        lambda ip: services.dossier_declare_abandonment(
            dossier_id=dossier_id,
            user=request.auth,
            attendance_percent=payload.attendance_percent,
            force_majeure=payload.force_majeure,
            reason=payload.reason,
            ip=ip,
        ),
    )


@router.post(
    "/dossiers/{dossier_id}/pay",
    response=ACTION_RESPONSES,
    summary="Pay the organisation what the file owes it now (agent)",
)
def pay(request, dossier_id: Id):
    dossier = visible_dossier(request, dossier_id)
    if request.auth.role != Role.AGENT:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can pay an organisation."))
    payment = OrganisationPayment.objects.filter(dossier=dossier).first()
    if payment is None:
        raise ApiError(409, {"__all__": [_("This file owes the organisation nothing.")]})
    return answer(
        request,
        dossier_id,
        lambda ip: services.organisation_payment_pay(payment_id=payment.pk, user=request.auth),
    )
