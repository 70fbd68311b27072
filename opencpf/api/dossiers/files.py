"""The files: list them, register for a session (holder), read one, and see what accepting or cancelling would
do to the money."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from opencpf.accounts.enums import Role
from opencpf.api.auth import bearer
from opencpf.api.dossiers.common import dossier_json, refused, visible_dossier
from opencpf.api.dossiers.schemas import (
    CancellationPreviewOut,
    DossierDetailOut,
    DossierListOut,
    FundingPreviewOut,
    ListQuery,
    RegisterIn,
)
from opencpf.api.errors import ApiError
from opencpf.api.schemas import BAD_INPUT, BODY_ERRORS, SIGNED_IN, Detail, Errors, Id, money
from opencpf.dossiers import rules, selectors, services
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.utils.client import client_ip

router = Router(tags=["Training files"], auth=bearer)
PAGE_SIZE = 50


@router.get(
    "/dossiers",
    response={200: DossierListOut, **BAD_INPUT, **SIGNED_IN, 403: Detail},
    summary="My training files (holder) or my organisation's (staff)",
)
def list_dossiers(request, query: Query[ListQuery]):
    user = request.auth
    if user.role == Role.HOLDER:
        dossiers = selectors.dossiers_of_holder(user)
    elif user.role == Role.ORGANISATION_STAFF:
        dossiers = selectors.dossiers_of_organisations(user)
    else:
        raise PermissionDenied(_("Only holders and organisation staff have training files to list."))
    if query.state:
        dossiers = dossiers.filter(state=query.state)
    # The answer reads the organisation's name, the session's dates and (for staff) the holder's name: not the offer.
    related = ("organisation", "session") if user.role == Role.HOLDER else ("holder", "organisation", "session")
    start = (query.page - 1) * PAGE_SIZE
    page = list(dossiers.select_related(None).select_related(*related)[start : start + PAGE_SIZE])
    # A page that is not full says how many there are (most holders have one page): counted only otherwise.
    partial = len(page) < PAGE_SIZE and (page or start == 0)
    return {
        "count": start + len(page) if partial else dossiers.count(),
        "page": query.page,
        "results": [dossier_json(d, user) for d in page],
    }


@router.post(
    "/dossiers",
    response={201: DossierDetailOut, **BODY_ERRORS, **SIGNED_IN, 403: Detail, 409: Errors},
    summary="Register for a session (holder)",
    description="The organisation answers by `respond_before` (legal parameter `dossiers/respond_days`). At most "
    "`dossiers/max_open_requests` open requests per "
    "training; one open file per session.",
)
def register(request, payload: RegisterIn):
    try:
        dossier = services.dossier_register(user=request.auth, session_id=payload.session_id, ip=client_ip(request))
    except services.DossierError as error:
        raise refused(error)
    return Status(201, dossier_json(dossier, request.auth, events=True))  # as written: its relations are at hand


@router.get(
    "/dossiers/{dossier_id}",
    response={200: DossierDetailOut, **BAD_INPUT, **SIGNED_IN, 404: Detail},
    summary="One training file with its history",
)
def get_dossier(request, dossier_id: Id):
    return dossier_json(visible_dossier(request, dossier_id), request.auth, events=True)


@router.get(
    "/dossiers/{dossier_id}/funding",
    response={200: FundingPreviewOut, **BAD_INPUT, **SIGNED_IN, 403: Detail, 404: Detail, 409: Errors},
    summary="How the proposal would be paid if accepted now (before paying)",
    description="Rights by bucket in spending order (earmarked top-ups, then those expiring first, then acquired "
    "rights), the flat contribution or the exemption and why, the shortfall paid by card.",
)
def funding_preview(request, dossier_id: Id):
    dossier = visible_dossier(request, dossier_id)
    if selectors.actor_for(request.auth, dossier) != Actor.HOLDER:
        raise PermissionDenied(_("Only the holder sees the funding before accepting."))
    if dossier.state != DossierState.PROPOSED:
        raise ApiError(409, {"__all__": [_("This file has no proposal waiting for acceptance.")]})
    funding = selectors.funding_for(dossier, on=rules.paris_date(timezone.now()))
    plan = funding.plan
    return {
        "price": money(plan.price),
        "funded": money(plan.funded),
        "card_amount": money(plan.holder_pays),
        "contribution": money(plan.contribution),
        "contribution_due": money(plan.contribution_due),
        "exemption": funding.exemption.value if funding.exemption else None,
        "exemption_label": funding.exemption_label or None,
        "shortfall": money(plan.shortfall),
        "buckets": [
            {
                "bucket": item["bucket"],
                "kind": item["kind"],
                "label": item["label"],
                "amount": item["amount"],
                "earmarked": item["earmarked"],
                "expires_on": item["expires_on"],
            }
            for item in funding.as_json()
        ],
        "accept_before": dossier.accept_before,
    }


@router.get(
    "/dossiers/{dossier_id}/cancellation",
    response={200: CancellationPreviewOut, **BAD_INPUT, **SIGNED_IN, 403: Detail, 404: Detail, 409: Errors},
    summary="What cancelling today would do to the money (before confirming)",
)
def cancellation_preview(request, dossier_id: Id):
    dossier = visible_dossier(request, dossier_id)
    actor = selectors.actor_for(request.auth, dossier)
    allowed = selectors.actions_for(request.auth, dossier)
    if Action.CANCEL_BY_HOLDER not in allowed and Action.CANCEL_BY_ORGANISATION not in allowed:
        raise ApiError(409, {"__all__": [_("This file can no longer be cancelled.")]})
    preview = selectors.cancellation_preview(dossier, actor=actor, on=rules.paris_date(timezone.now()))
    return {
        "ending": preview.ending.value if preview.ending else None,
        "ending_label": preview.ending_label or None,
        "restored": money(preview.restored),
        "lost": money(preview.lost),
        "card_refund": money(preview.refund),
        "card_kept": money(preview.card_kept),
        "organisation_payment": money(preview.organisation_payment),
        "free_cancellation_until": preview.free_until,
    }
