"""The signed-in user: who they are (and, for a holder, their situations), confirming the email, signing out
everywhere. Every endpoint here needs a bearer token."""

import datetime

from ninja import Field, Router, Schema, Status

from opencpf.accounts import services
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError
from opencpf.api.schemas import BODY_ERRORS, SIGNED_IN
from opencpf.identity import situations
from opencpf.utils.client import client_ip

# Its own tag as well as the parent's, as when it was mounted inside opencpf.api.accounts: the schema lists "Accounts"
# twice for these operations and stays the same for the clients generated from it.
router = Router(tags=["Accounts"], auth=bearer)


class AddressOut(Schema):
    line1: str = Field(validation_alias="address_line1")
    line2: str = Field(validation_alias="address_line2")
    postal_code: str
    city: str
    country: str


class SituationsOut(Schema):
    confirmed: list[str]
    pending: list[str]


class HolderMeOut(Schema):
    id: int
    nir: str
    last_name: str
    first_names: str
    birth_date: datetime.date
    phone: str
    address: AddressOut
    status: str
    low_qualified: bool
    disabled_worker: bool
    identity_source: str | None
    situations: SituationsOut
    closed_on: datetime.date | None

    @staticmethod
    def resolve_identity_source(holder) -> str | None:
        return holder.identity_source or None

    @staticmethod
    def resolve_situations(holder) -> dict:
        # DESIGN §4.1: what counts (confirmed by an agent) and what waits for a proof or a decision.
        return {
            "confirmed": situations.confirmed_situations(holder),
            "pending": situations.pending_situations(holder),
        }

    @staticmethod
    def resolve_address(holder):
        return holder  # the address fields live on the holder


class MeOut(Schema):
    id: int
    email: str
    email_confirmed: bool
    identity_level: str | None = Field(
        None, description="Holders: `basic` (read, search, register) or `verified` (also accept a proposal)."
    )
    role: str
    language: str
    holder: HolderMeOut | None = None

    @staticmethod
    def resolve_identity_level(user) -> str | None:
        holder = getattr(user, "holder", None) if user.is_holder else None
        return holder.identity_level if holder is not None else None

    @staticmethod
    def resolve_email_confirmed(user) -> bool:
        return user.email_verified_at is not None

    @staticmethod
    def resolve_holder(user):
        return getattr(user, "holder", None) if user.is_holder else None


@router.get(
    "/me",
    response={200: MeOut, **SIGNED_IN},
    summary="The signed-in user",
    operation_id="opencpf_api_accounts_me",
)
def me(request):
    return request.auth


class CodeIn(Schema):
    code: str


@router.post(
    "/me/email/confirm",
    response={204: None, **BODY_ERRORS, **SIGNED_IN},
    summary="Confirm the email with its code",
    operation_id="opencpf_api_accounts_confirm_email",
)
def confirm_email(request, payload: CodeIn):
    try:
        services.email_confirm(user=request.auth, code=payload.code)
    except services.CodeError as error:
        raise ApiError(400, {"code": [str(error)]})
    return Status(204, None)


@router.post(
    "/me/sign-out-everywhere",
    response={204: None, **SIGNED_IN},
    summary="Sign out everywhere",
    description="Ends every web session, revokes every API token (this one too) and forgets every known device.",
    operation_id="opencpf_api_accounts_sign_out_everywhere",
)
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.auth, ip=client_ip(request))
    return Status(204, None)
