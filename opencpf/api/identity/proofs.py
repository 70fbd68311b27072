"""The proof of a situation that moves money (DESIGN §4.1): sent by the holder, approved or rejected by an agent;
it counts only once approved."""

from ninja import Router, Schema, Status

from opencpf.api.auth import bearer
from opencpf.api.identity.common import DOCUMENT, ReasonIn, decision, form_fields, multipart_body, refused
from opencpf.api.schemas import Detail, Errors, Id
from opencpf.identity import services, situations
from opencpf.identity.enums import Situation
from opencpf.utils.client import client_ip

router = Router()


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
    operation_id="opencpf_api_identity_create_status_proof",
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
        refused(error)
    return Status(201, {"id": proof.pk, "status": proof.status})


@router.post(
    "/agent/status-proofs/{proof_id}/approve",
    response={200: ProofCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Approve a situation's proof (agent): it counts from now on",
    operation_id="opencpf_api_identity_approve_status_proof",
)
def approve_status_proof(request, proof_id: Id):
    return decision(request, lambda ip: situations.status_proof_approve(proof_id=proof_id, agent=request.auth, ip=ip))


@router.post(
    "/agent/status-proofs/{proof_id}/reject",
    response={200: ProofCreated, 400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail},
    auth=bearer,
    tags=["Agents"],
    summary="Reject a situation's proof (agent)",
    operation_id="opencpf_api_identity_reject_status_proof",
)
def reject_status_proof(request, proof_id: Id, payload: ReasonIn):
    return decision(
        request,
        lambda ip: situations.status_proof_reject(proof_id=proof_id, agent=request.auth, reason=payload.reason, ip=ip),
    )
