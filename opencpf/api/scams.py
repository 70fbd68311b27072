"""Scam reports for holders (DESIGN §4.2): `POST /reports` signed in, or anonymous with `nir`, `birth_date`,
`email` (the answer is the same whether or not they match an account); `GET /reports/{id}` for its author.
Evidence files are attached on the web form (PDF, JPEG or PNG, sniffed from their content)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from opencpf.accounts.nir import validate_nir
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.schemas import Detail as Problem
from opencpf.api.schemas import Errors, Id
from opencpf.scams import selectors
from opencpf.scams.enums import FreezeOutcome, Situation
from opencpf.scams.models import Report
from opencpf.scams.services.reports import Identity, ReportError, report_file
from opencpf.utils.client import client_ip

router = Router(tags=["Scams"])


class _Anonymous:
    """The caller sent no token: a holder who can no longer sign in."""

    is_authenticated = False


class BearerOrAnonymous(HttpBearer):
    """No `Authorization` header: anonymous; a header with a bad token: 401 like everywhere else."""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            return _Anonymous()
        return super().__call__(request)

    def authenticate(self, request, token):
        return bearer.authenticate(request, token)


class ReportIn(Schema):
    situation: str = Field(description=" | ".join(Situation.values))
    description: str
    dossier_ids: list[int] = Field(default_factory=list, description="Your own training files (signed in)")
    organisation_siret: str | None = None
    organisation_name: str | None = None
    caller_phone: str | None = None
    lock_account: bool = False
    nir: str | None = Field(None, description="Anonymous reports only")
    birth_date: str | None = Field(None, description="Anonymous reports only, YYYY-MM-DD")
    email: str | None = Field(None, description="Anonymous reports only")


class ReportCreated(Schema):
    id: int
    reference: str
    status: str


class FrozenFileOut(Schema):
    id: int
    frozen: bool
    outcome: str


class ReportOut(ReportCreated):
    status_label: str
    situation: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision: str
    attached_to: str | None
    dossiers: list[FrozenFileOut]
    messages: list[dict]


def _identity(payload: ReportIn) -> Identity:
    errors: dict[str, list[str]] = {}
    for field in ("nir", "birth_date", "email"):
        if not (getattr(payload, field) or "").strip():
            errors[field] = [_("This field is required.")]
    nir = birth_date = None
    if "nir" not in errors:
        try:
            nir = validate_nir(payload.nir)
        except ValidationError as error:
            errors["nir"] = [str(m) for m in error.messages]
    if "birth_date" not in errors:
        try:
            birth_date = datetime.date.fromisoformat(payload.birth_date.strip())
        except ValueError:
            errors["birth_date"] = [_("Enter a date as YYYY-MM-DD.")]
    if "email" not in errors:
        try:
            validate_email(payload.email.strip())
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if errors:
        raise ApiError(400, errors)
    return Identity(nir=nir, birth_date=birth_date, email=payload.email.strip())


def report_json(report: Report) -> dict:
    return {
        "id": report.pk,
        "reference": report.reference,
        "status": report.status,
        "status_label": report.get_status_display(),
        "situation": report.situation,
        "created_at": report.created_at,
        "decided_at": report.decided_at,
        "decision": report.decision_note,
        "attached_to": report.attached_to.reference if report.attached_to else None,
        "dossiers": [
            {"id": f.dossier_id, "frozen": f.outcome == FreezeOutcome.ACTIVE, "outcome": f.outcome}
            for f in report.freezes.all()
        ],
        "messages": [{"at": m.at, "author": m.author_kind, "body": m.body} for m in report.messages.all()],
    }


@router.post(
    "/reports",
    response={201: ReportCreated, 400: Errors, 413: Errors, 401: Problem, 403: Problem, 404: Problem, 429: Problem},
    auth=BearerOrAnonymous(),
    summary="Report a scam",
    description=(
        "Signed in (Bearer), or anonymous with `nir`, `birth_date` and `email`: the answer is the same whether or "
        "not they match an account, and an unmatched report freezes nothing. Named files that are not the "
        "caller's answer 404 and nothing is written. Named files not yet paid are frozen (`frozen: true`, 409 "
        "`frozen` to every move) until an agent decides. `lock_account` ends every session and token at once. "
        "Rate-limited per address and per identity (429 `rate_limited`)."
    ),
)
def create_report(request, payload: ReportIn):
    user = request.auth if getattr(request.auth, "is_authenticated", False) else None
    identity = None if user is not None else _identity(payload)
    organisation = (payload.organisation_siret or "").strip() or (payload.organisation_name or "").strip()
    try:
        filed = report_file(
            user=user,
            identity=identity,
            situation=payload.situation,
            description=payload.description,
            dossier_ids=payload.dossier_ids,
            organisation=organisation,
            caller_phone=payload.caller_phone or "",
            lock_account=payload.lock_account,
            ip=client_ip(request),
            language=get_language(),
        )
    except ReportError as error:
        if error.status == 400:
            raise ApiError(400, error.errors)
        return Status(error.status, {"code": error.code, "detail": str(error)})
    report = filed.report
    return Status(201, {"id": report.pk, "reference": report.reference, "status": report.status})


@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, 400: Errors, 401: Problem, 404: Problem},
    auth=bearer,
    summary="A report, for its author",
)
def get_report(request, report_id: Id):
    report = selectors.report_of_author(request.auth, report_id=report_id) if 0 < report_id < 2**62 else None
    if report is None:
        return Status(404, {"code": "not_found", "detail": _("Not found.")})
    return report_json(report)
