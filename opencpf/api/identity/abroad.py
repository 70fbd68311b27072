"""Holders abroad (DESIGN §4.3): personal access asked anonymously with a proof of residence, granted (optionally
until a date) or refused by an agent."""

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
from opencpf.api.schemas import Detail, Errors, Id, IsoDate
from opencpf.identity import access, services
from opencpf.utils.client import client_ip

router = Router()


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
    operation_id="opencpf_api_identity_create_access_request",
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
        refused(error)
    return Status(201, {"id": created.pk, "reference": created.reference, "status": created.status})


@router.post(
    "/agent/access-requests/{request_id}/grant",
    response={200: RequestCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Grant personal access from abroad (agent), optionally `until` a date",
    description="409 `no_account` when no account matches, 409 `closed` for a closed account.",
    operation_id="opencpf_api_identity_grant_access_request",
)
def grant_access_request(request, request_id: Id, payload: GrantIn):
    return decision(
        request,
        lambda ip: access.access_request_grant(request_id=request_id, agent=request.auth, until=payload.until, ip=ip),
    )


@router.post(
    "/agent/access-requests/{request_id}/refuse",
    response={200: RequestCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Refuse personal access from abroad (agent)",
    operation_id="opencpf_api_identity_refuse_access_request",
)
def refuse_access_request(request, request_id: Id, payload: ReasonIn):
    return decision(
        request,
        lambda ip: access.access_request_refuse(
            request_id=request_id, agent=request.auth, reason=payload.reason, ip=ip
        ),
    )
