"""Agents' endpoints (DESIGN §4.2): scam reports and sanctions. Agents only (403 for anyone else signed in);
agents sign in with their authenticator code (`otp_code` on POST /auth/token)."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.scams import report_json
from opencpf.api.schemas import Detail as Problem
from opencpf.api.schemas import Errors, Id
from opencpf.scams import selectors
from opencpf.scams.enums import ReportStatus, SanctionLevel, Situation
from opencpf.scams.services import review, sanctions
from opencpf.scams.services.reports import ReportError
from opencpf.utils.client import client_ip

router = Router(tags=["Agents"])
PAGE_SIZE = 50


def _agent_or_403(request):
    user = request.auth
    if not (user.is_agent and user.is_active):
        return Status(403, {"code": "forbidden", "detail": _("Only an agent of the Caisse des Dépôts can do this.")})
    return None


def _refused(error: ReportError):
    if error.status == 400:
        raise ApiError(400, error.errors)
    return Status(error.status, {"code": error.code, "detail": str(error)})


class AgentReportOut(Schema):
    id: int
    reference: str
    status: str
    status_label: str
    situation: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision: str
    attached_to: str | None
    dossiers: list[dict]
    messages: list[dict]
    holder_id: int | None
    organisation_id: int | None
    organisation_text: str


class ReportListOut(Schema):
    count: int
    results: list[AgentReportOut]


class QueueQuery(Schema):
    status: str | None = Field(None, description="open, decided, or one status: " + ", ".join(ReportStatus.values))
    situation: str | None = Field(None, description=", ".join(Situation.values))
    organisation_id: int | None = Field(None, ge=1, le=2**62)
    page: int = Field(1, ge=1, le=100_000)


def _agent_json(report) -> dict:
    return {
        **report_json(report),
        "holder_id": report.holder_id,
        "organisation_id": report.organisation_id,
        "organisation_text": report.organisation_text,
    }


AGENT_RESPONSES = {
    200: AgentReportOut,
    400: Errors,
    413: Errors,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
}


@router.get(
    "/agent/reports",
    response={200: ReportListOut, 400: Errors, 401: Problem, 403: Problem},
    auth=bearer,
    summary="The report queue",
)
def list_reports(request, filters: Query[QueueQuery]):
    if denied := _agent_or_403(request):
        return denied
    if filters.situation and filters.situation not in Situation.values:
        raise ApiError(400, {"situation": [_("Choose one of the situations.")]})
    reports = selectors.report_queue(
        status=filters.status or "", situation=filters.situation or "", organisation_id=filters.organisation_id
    )
    start = (filters.page - 1) * PAGE_SIZE
    page = selectors.reports_for_agent(list(reports.values_list("pk", flat=True)[start : start + PAGE_SIZE]))
    return {"count": reports.count(), "results": [_agent_json(r) for r in page]}


class ConfirmIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str


@router.post(
    "/agent/reports/{report_id}/confirm",
    response=AGENT_RESPONSES,
    auth=bearer,
    summary="Confirm a scam",
    description=(
        "The frozen files end in state `cancelled_fraud` with every euro back in the bucket it came from (top-ups "
        "even if expired meanwhile), card payments refunded, the organisation flagged. 409 if already decided."
    ),
)
def confirm_report(request, report_id: Id, payload: ConfirmIn):
    if denied := _agent_or_403(request):
        return denied
    try:
        review.report_confirm(report_id=report_id, agent=request.auth, note=payload.note, ip=client_ip(request))
    except ReportError as error:
        return _refused(error)
    return _agent_json(selectors.report_for_agent(report_id))


@router.post(
    "/agent/reports/{report_id}/reject",
    response=AGENT_RESPONSES,
    auth=bearer,
    summary="Reject a report",
    description="The frozen files are released; their deadlines move back by the business days they were frozen.",
)
def reject_report(request, report_id: Id, payload: RejectIn):
    if denied := _agent_or_403(request):
        return denied
    try:
        review.report_reject(report_id=report_id, agent=request.auth, reason=payload.reason, ip=client_ip(request))
    except ReportError as error:
        return _refused(error)
    return _agent_json(selectors.report_for_agent(report_id))


class SanctionIn(Schema):
    level: str = Field(description=", ".join(SanctionLevel.values))
    reason: str
    offer_ids: list[int] = Field(default_factory=list, description="For `partial_delisting`")


class LiftIn(Schema):
    reason: str


class SanctionOut(Schema):
    id: int
    organisation_id: int
    level: str
    reason: str
    offer_ids: list[int]
    started_at: datetime.datetime
    lifted_at: datetime.datetime | None
    organisation_status: str


def _sanction_json(sanction) -> dict:
    sanction.organisation.refresh_from_db(fields=["status"])
    return {
        "id": sanction.pk,
        "organisation_id": sanction.organisation_id,
        "level": sanction.level,
        "reason": sanction.reason,
        "offer_ids": sorted(sanction.offers.values_list("pk", flat=True)),
        "started_at": sanction.started_at,
        "lifted_at": sanction.lifted_at,
        "organisation_status": sanction.organisation.status,
    }


@router.post(
    "/agent/organisations/{organisation_id}/sanctions",
    response={201: SanctionOut, 400: Errors, 413: Errors, 401: Problem, 403: Problem, 404: Problem},
    auth=bearer,
    summary="Sanction an organisation",
    description=(
        "A rung of the ladder with its reason. `partial_delisting` needs `offer_ids` (offers of this organisation): "
        "they leave search at once and take no new file. `delisted`: every offer. From `payments_suspended` up, "
        "payments are held until the sanction is lifted."
    ),
)
def impose_sanction(request, organisation_id: Id, payload: SanctionIn):
    if denied := _agent_or_403(request):
        return denied
    try:
        sanction = sanctions.sanction_impose(
            organisation_id=organisation_id,
            level=payload.level,
            reason=payload.reason,
            offer_ids=payload.offer_ids,
            agent=request.auth,
            ip=client_ip(request),
        )
    except ReportError as error:
        return _refused(error)
    return Status(201, _sanction_json(sanction))


@router.post(
    "/agent/sanctions/{sanction_id}/lift",
    response={200: SanctionOut, 400: Errors, 413: Errors, 401: Problem, 403: Problem, 404: Problem, 409: Problem},
    auth=bearer,
    summary="Lift a sanction",
)
def lift_sanction(request, sanction_id: Id, payload: LiftIn):
    if denied := _agent_or_403(request):
        return denied
    try:
        sanction = sanctions.sanction_lift(
            sanction_id=sanction_id, agent=request.auth, reason=payload.reason, ip=client_ip(request)
        )
    except ReportError as error:
        return _refused(error)
    return _sanction_json(sanction)
