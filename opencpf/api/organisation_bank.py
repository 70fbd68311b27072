"""The organisation's bank details through the API (what /organisme/identite/ shows), with the `payments` scope:
read them (the IBAN masked) and ask for a new IBAN. A key cannot complete a change: the request waits until a finance
manager of the organisation confirms it in the space with the password and a fresh second factor
(opencpf.catalogue.services.bank_changes says why). Every call is audited under the caller, a key's own account."""

import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from opencpf.accounts.services import audit
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.organisation.common import acting_organisation, staff_organisation_ids
from opencpf.api.schemas import BAD_INPUT, BODY_ERRORS, SIGNED_IN, Detail, Errors, Id, StrictIn
from opencpf.catalogue.enums import BankChangeState, OrganisationRole
from opencpf.catalogue.models import BankDetailsChange, Organisation
from opencpf.catalogue.selectors import (
    masked_iban,
    organisation_role_required,
    payments_held_until,
    pending_bank_change,
)
from opencpf.catalogue.services import bank_changes
from opencpf.utils.client import client_ip

router = Router(tags=["Organisation: bank details"], auth=bearer)

MASKED = {"type": "string", "examples": ["FR76 •••• 0189"]}


class BankChangeOut(Schema):
    id: int
    organisation_id: int
    iban: str = Field(description="Masked: the country, the check digits and the last 4", json_schema_extra=MASKED)
    state: BankChangeState = Field(examples=["pending"])
    requested_by: str = Field(description="The API key (or person) who asked", examples=["API key “ERP” of …"])
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None


class BankDetailsOut(Schema):
    organisation_id: int
    iban: str = Field(description="Masked; empty when none is known", json_schema_extra=MASKED)
    changed_at: datetime.datetime | None
    payments_held_until: datetime.datetime | None = Field(description="Payments wait after a change, until then")
    pending_change: BankChangeOut | None = Field(description="The change that waits for a person's confirmation")


class BankChangeIn(StrictIn):
    organisation_id: Id | None = Field(None, description="Needed only when you act for several organisations")
    iban: str = Field(
        max_length=50, description="Checked with its key (ISO 13616)", examples=["FR7630006000011234567890189"]
    )


class BankQuery(Schema):
    organisation_id: Id | None = Field(None, description="Needed only when you act for several organisations")


def _change_json(change: BankDetailsChange) -> dict:
    return {
        "id": change.pk,
        "organisation_id": change.organisation_id,
        "iban": masked_iban(change.iban),
        "state": change.state,
        "requested_by": str(change.requested_by),
        "requested_at": change.requested_at,
        "decided_at": change.decided_at,
    }


def _finance(request, organisation_id: int | None) -> Organisation:
    organisation = acting_organisation(request, organisation_id)
    organisation_role_required(request.auth, organisation.pk, OrganisationRole.FINANCE_MANAGER)
    return organisation


@router.get(
    "/organisation/bank-details",
    response={200: BankDetailsOut, **BAD_INPUT, **SIGNED_IN, 403: Detail},
    summary="My organisation's bank details, and the change that waits",
)
def bank_details(request, query: Query[BankQuery]):
    organisation = _finance(request, query.organisation_id)
    audit(
        actor=request.auth,
        action="organisation_bank_details_read",
        target=f"organisation:{organisation.pk}",
        ip=client_ip(request),
    )
    pending = pending_bank_change(organisation)
    return {
        "organisation_id": organisation.pk,
        "iban": masked_iban(organisation.iban),
        "changed_at": organisation.iban_changed_at,
        "payments_held_until": payments_held_until(organisation),
        "pending_change": _change_json(pending) if pending else None,
    }


@router.post(
    "/organisation/bank-details/changes",
    response={201: BankChangeOut, **BODY_ERRORS, **SIGNED_IN, 403: Detail, 409: Errors},
    summary="Ask for a new IBAN (a finance manager confirms it in the space)",
    description="Answers 201 with the change in state `pending`: nothing changes until a finance manager of the "
    "organisation, not the caller, confirms it in the organisation's space with the password and a fresh code. The "
    "access and finance managers are told by email. An IBAN with a bad key answers 400 (`errors.iban`); a change "
    "that already waits answers 409 `bank_change_pending`.",
)
def bank_change_request(request, payload: BankChangeIn):
    organisation = _finance(request, payload.organisation_id)
    try:
        change = bank_changes.bank_change_request(
            organisation=organisation, actor=request.auth, iban=payload.iban, ip=client_ip(request)
        )
    except bank_changes.BankChangeConflict as error:
        raise ApiError(409, str(error), code=error.code)
    return Status(201, _change_json(change))


@router.get(
    "/organisation/bank-details/changes/{change_id}",
    response={200: BankChangeOut, **BAD_INPUT, **SIGNED_IN, 403: Detail, 404: Detail},
    summary="One change of bank details and its state",
)
def bank_change(request, change_id: Id):
    change = (
        BankDetailsChange.objects.select_related("requested_by")
        .filter(pk=change_id, organisation_id__in=staff_organisation_ids(request))
        .first()
    )
    if change is None:
        raise Http404
    organisation_role_required(request.auth, change.organisation_id, OrganisationRole.FINANCE_MANAGER)
    audit(
        actor=request.auth,
        action="organisation_bank_details_read",
        target=f"organisation:{change.organisation_id}",
        ip=client_ip(request),
        change=change.pk,
    )
    return _change_json(change)
