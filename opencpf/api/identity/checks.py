"""Identity checks (DESIGN §4.1): an ID document sent by a signed-in holder, or anonymously to recover an account
whose NIR someone else took; agents approve or reject."""

from django.utils.translation import get_language
from ninja import Router, Schema, Status

from opencpf.api.auth import bearer
from opencpf.api.identity.common import (
    DOCUMENT,
    ReasonIn,
    claimed_identity,
    decision,
    form_fields,
    multipart_body,
    refused,
)
from opencpf.api.scams import BearerOrAnonymous
from opencpf.api.schemas import Detail, Errors, Id
from opencpf.identity import services
from opencpf.identity.enums import DocumentKind
from opencpf.utils.client import client_ip

router = Router()


class CheckCreated(Schema):
    id: int
    reference: str
    status: str


@router.post(
    "/identity-checks",
    response={201: CheckCreated, 400: Errors, 401: Detail, 403: Detail, 409: Detail, 413: Errors, 429: Detail},
    auth=BearerOrAnonymous(),
    summary="Send an ID document to be checked by an agent",
    description=(
        "Multipart. Signed in (Bearer): `document_kind` and `document`; once an agent approves it, the holder's "
        '`identity_level` is `verified`. Anonymous ("this is my number", to recover an account someone else '
        "opened with your NIR): also `nir`, `birth_date`, `last_name` and the `email` to use from now on; the "
        "answer is the same whether or not an account matches. Agents answer within `identity/review_target_hours`."
    ),
    openapi_extra=multipart_body(
        {
            "document_kind": {"type": "string", "enum": DocumentKind.values},
            "document": DOCUMENT,
            "nir": {"type": "string"},
            "birth_date": {"type": "string", "format": "date"},
            "last_name": {"type": "string"},
            "email": {"type": "string", "format": "email"},
        },
        ["document_kind", "document"],
    ),
    operation_id="opencpf_api_identity_create_identity_check",
)
def create_identity_check(request):
    user = request.auth if getattr(request.auth, "is_authenticated", False) else None
    values = form_fields(request, ("document_kind", "nir", "birth_date", "last_name", "email"))
    identity = {} if user is not None else claimed_identity(values, ("nir", "birth_date", "last_name", "email"))
    try:
        check = services.identity_check_file(
            user=user,
            document_kind=values["document_kind"],
            upload=request.FILES.get("document"),
            ip=client_ip(request),
            language=get_language(),
            **identity,
        )
    except services.IdentityCheckError as error:
        refused(error)
    return Status(201, {"id": check.pk, "reference": check.reference, "status": check.status})


@router.post(
    "/agent/identity-checks/{check_id}/approve",
    response={200: CheckCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Approve an identity check (agent)",
    description="A holder's own check makes them verified. A recovery replaces the account's email and password "
    "(a set-password link goes to the new address), ends every session, token and remembered device, tells both "
    "addresses and freezes the files not yet paid through a scam report.",
    operation_id="opencpf_api_identity_approve_identity_check",
)
def approve_identity_check(request, check_id: Id):
    return decision(request, lambda ip: services.identity_check_approve(check_id=check_id, agent=request.auth, ip=ip))


@router.post(
    "/agent/identity-checks/{check_id}/reject",
    response={200: CheckCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Reject an identity check (agent)",
    operation_id="opencpf_api_identity_reject_identity_check",
)
def reject_identity_check(request, check_id: Id, payload: ReasonIn):
    return decision(
        request,
        lambda ip: services.identity_check_reject(check_id=check_id, agent=request.auth, reason=payload.reason, ip=ip),
    )
