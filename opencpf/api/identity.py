"""Identity checks (DESIGN §4.1): an ID document sent by a signed-in holder, or anonymously to recover an account
whose NIR someone else took; agents approve or reject. Multipart bodies, read from the request's form and files."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from opencpf.accounts.nir import validate_nir
from opencpf.api.agent import _agent_or_403
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.scams import BearerOrAnonymous
from opencpf.api.schemas import Detail, Errors, Id, IsoDate
from opencpf.identity import access, services, situations
from opencpf.identity.enums import DocumentKind, Situation
from opencpf.utils.client import client_ip
from opencpf.utils.dates import validate_birth_date
from opencpf.utils.text import clean_name, has_nul

router = Router(tags=["Identity"])


class CheckCreated(Schema):
    id: int
    reference: str
    status: str


class ReasonIn(Schema):
    reason: str


def multipart_body(properties: dict, required: list[str]) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": properties, "required": required}}
            },
        }
    }


DOCUMENT = {
    "type": "string",
    "format": "binary",
    "description": "PDF, JPEG or PNG, at most 5 MB (type read from the content)",
}


def form_fields(request, names: tuple[str, ...]) -> dict[str, str]:
    """The form fields of a multipart body, NUL characters refused like everywhere in the API."""
    values = {name: (request.POST.get(name) or "").strip() for name in names}
    nul = [name for name, value in values.items() if has_nul(value)]
    if nul:
        raise ApiError(400, {name: [_("Null characters are not allowed.")] for name in nul})
    return values


def claimed_identity(values: dict[str, str], fields: tuple[str, ...]) -> dict:
    """nir, birth_date, last_name / email as an anonymous requester gives them; 400 with every error at once."""
    errors: dict[str, list[str]] = {name: [_("This field is required.")] for name in fields if not values.get(name)}
    result: dict = {}
    if "nir" in fields and "nir" not in errors:
        try:
            result["nir"] = validate_nir(values["nir"])
        except ValidationError as error:
            errors["nir"] = [str(m) for m in error.messages]
    if "birth_date" in fields and "birth_date" not in errors:
        try:
            result["birth_date"] = datetime.date.fromisoformat(values["birth_date"])
            validate_birth_date(result["birth_date"])
        except (ValueError, ValidationError):
            errors["birth_date"] = [_("Enter a date as YYYY-MM-DD.")]
    if "last_name" in fields and "last_name" not in errors:
        result["last_name"] = clean_name(values["last_name"])[:150]
    if "email" in fields and "email" not in errors:
        try:
            validate_email(values["email"])
            result["email"] = values["email"]
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if errors:
        raise ApiError(400, errors)
    return result


def _refused(error: services.IdentityCheckError):
    if error.status == 400:
        raise ApiError(400, error.errors)
    raise ApiError(error.status, error.errors, code=error.code)


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
        _refused(error)
    return Status(201, {"id": check.pk, "reference": check.reference, "status": check.status})


def _decision(request, call):
    if (forbidden := _agent_or_403(request)) is not None:
        return forbidden
    try:
        check = call(client_ip(request))
    except services.IdentityCheckError as error:
        _refused(error)
    # Each answer's schema keeps its own fields (a proof has no reference).
    return Status(200, {"id": check.pk, "reference": getattr(check, "reference", ""), "status": check.status})


@router.post(
    "/agent/identity-checks/{check_id}/approve",
    response={200: CheckCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Approve an identity check (agent)",
    description="A holder's own check makes them verified. A recovery replaces the account's email and password "
    "(a set-password link goes to the new address), ends every session, token and remembered device, tells both "
    "addresses and freezes the files not yet paid through a scam report.",
)
def approve_identity_check(request, check_id: Id):
    return _decision(request, lambda ip: services.identity_check_approve(check_id=check_id, agent=request.auth, ip=ip))


@router.post(
    "/agent/identity-checks/{check_id}/reject",
    response={200: CheckCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Reject an identity check (agent)",
)
def reject_identity_check(request, check_id: Id, payload: ReasonIn):
    return _decision(
        request,
        lambda ip: services.identity_check_reject(check_id=check_id, agent=request.auth, reason=payload.reason, ip=ip),
    )


class ProofCreated(Schema):
    id: int
    status: str


@router.post(
    "/status-proofs",
    response={201: ProofCreated, 400: Errors, 401: Detail, 403: Detail, 409: Detail, 413: Errors},
    auth=bearer,
    summary="Send the proof of a situation that moves money",
    description=(
        "Multipart, signed in: `situation` (" + ", ".join(Situation.values) + "), `rate` for `work_accident` "
        "(12 or 0.12 for 12 %), `document`. The situation counts (rights, flat contribution) only once an agent "
        "approves it; `GET /me` lists it as pending until then."
    ),
    openapi_extra=multipart_body(
        {
            "situation": {"type": "string", "enum": Situation.values},
            "rate": {"type": "string", "description": "work_accident only"},
            "document": DOCUMENT,
        },
        ["situation", "document"],
    ),
)
def create_status_proof(request):
    values = form_fields(request, ("situation", "rate"))
    try:
        proof = situations.status_proof_file(
            user=request.auth,
            situation=values["situation"],
            rate=values["rate"] or None,
            upload=request.FILES.get("document"),
            ip=client_ip(request),
        )
    except services.IdentityCheckError as error:
        _refused(error)
    return Status(201, {"id": proof.pk, "status": proof.status})


@router.post(
    "/agent/status-proofs/{proof_id}/approve",
    response={200: ProofCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Approve a situation's proof (agent): it counts from now on",
)
def approve_status_proof(request, proof_id: Id):
    return _decision(request, lambda ip: situations.status_proof_approve(proof_id=proof_id, agent=request.auth, ip=ip))


@router.post(
    "/agent/status-proofs/{proof_id}/reject",
    response={200: ProofCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Reject a situation's proof (agent)",
)
def reject_status_proof(request, proof_id: Id, payload: ReasonIn):
    return _decision(
        request,
        lambda ip: situations.status_proof_reject(proof_id=proof_id, agent=request.auth, reason=payload.reason, ip=ip),
    )


# --- holders abroad (DESIGN §4.3) -------------------------------------------------------------------------------


class RequestCreated(Schema):
    id: int
    reference: str
    status: str


class GrantIn(Schema):
    until: IsoDate | None = None


@router.post(
    "/access-requests",
    response={201: RequestCreated, 400: Errors, 409: Detail, 413: Errors, 429: Detail},
    auth=None,
    summary="Ask for personal access from abroad",
    description=(
        "Multipart, anonymous (the requester cannot sign in): `nir`, `birth_date`, `email` (of the account), "
        "`country` (ISO 3166 alpha-2, of residence), `reason`, `proof` (of residence: PDF, JPEG or PNG), and "
        "optionally `phone` and `address` abroad. The answer is the same whether or not an account matches. A "
        "second request while one is pending: 409 `already_pending`; too many from one address: 429."
    ),
    openapi_extra=multipart_body(
        {
            "nir": {"type": "string"},
            "birth_date": {"type": "string", "format": "date"},
            "email": {"type": "string", "format": "email"},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "reason": {"type": "string"},
            "phone": {"type": "string"},
            "address": {"type": "string"},
            "proof": DOCUMENT,
        },
        ["nir", "birth_date", "email", "country", "reason", "proof"],
    ),
)
def create_access_request(request):
    values = form_fields(request, ("nir", "birth_date", "email", "country", "reason", "phone", "address"))
    identity = claimed_identity(values, ("nir", "birth_date", "email"))
    try:
        created = access.access_request_file(
            nir=identity["nir"],
            birth_date=identity["birth_date"],
            email=identity["email"],
            country=values["country"],
            reason=values["reason"],
            phone_abroad=values["phone"],
            address_abroad=values["address"],
            upload=request.FILES.get("proof"),
            ip=client_ip(request),
            language=get_language(),
        )
    except services.IdentityCheckError as error:
        _refused(error)
    return Status(201, {"id": created.pk, "reference": created.reference, "status": created.status})


@router.post(
    "/agent/access-requests/{request_id}/grant",
    response={200: RequestCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Grant personal access from abroad (agent), optionally `until` a date",
    description="409 `no_account` when no account matches, 409 `closed` for a closed account.",
)
def grant_access_request(request, request_id: Id, payload: GrantIn):
    return _decision(
        request,
        lambda ip: access.access_request_grant(request_id=request_id, agent=request.auth, until=payload.until, ip=ip),
    )


@router.post(
    "/agent/access-requests/{request_id}/refuse",
    response={200: RequestCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Refuse personal access from abroad (agent)",
)
def refuse_access_request(request, request_id: Id, payload: ReasonIn):
    return _decision(
        request,
        lambda ip: access.access_request_refuse(
            request_id=request_id, agent=request.auth, reason=payload.reason, ip=ip
        ),
    )
