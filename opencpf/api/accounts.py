import datetime

from django.urls import reverse
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from opencpf.accounts import services, signin
from opencpf.accounts.enums import SignInChannel
from opencpf.accounts.forms import HolderRegistrationForm
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError, field_errors_from_form
from opencpf.api.schemas import Errors, Name
from opencpf.utils.client import client_info

router = Router(tags=["Accounts"])


class AddressIn(Schema):
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = "FR"


class HolderIn(Schema):
    nir: str | None = None
    last_name: Name | None = None
    first_names: Name | None = None
    birth_date: str | None = None
    email: str | None = None
    phone: str | None = None
    address: AddressIn | None = None
    status: str | None = None
    low_qualified: bool = False
    disabled_worker: bool = False
    password: str | None = None


class HolderCreated(Schema):
    id: int
    email_confirmation_required: bool


_ADDRESS_FIELDS = {"address_line1": "line1", "address_line2": "line2", "postal_code": "postal_code", "city": "city"}


@router.post(
    "/holders",
    response={201: HolderCreated, 400: Errors, 429: Errors},
    auth=None,
    summary="Register a holder",
    description=(
        "201 with the new holder's `id`; a code is emailed to confirm the address. When the NIR or the email "
        "already has an account, the answer is the same (201, an `id` that designates nothing readable) and the "
        "account's owner is told by email: this endpoint never says who has an account. 429 after too many "
        "registrations from one address or for one NIR or email."
    ),
)
def register_holder(request, payload: HolderIn):
    address = payload.address or AddressIn()
    form = HolderRegistrationForm(
        data={
            **payload.dict(exclude={"address"}),
            "address_line1": address.line1,
            "address_line2": address.line2,
            "postal_code": address.postal_code,
            "city": address.city,
            "country": (address.country or "").upper(),
        }
    )
    if not form.is_valid():
        errors = field_errors_from_form(form)
        # Report address fields where the client sent them: address.line1, address.postal_code…
        for form_field, api_field in {**_ADDRESS_FIELDS, "country": "country"}.items():
            if form_field in errors:
                errors[f"address.{api_field}"] = errors.pop(form_field)
        raise ApiError(400, errors)
    data = form.holder_data()
    try:
        services.registration_limit_check(data=data, ip=client_info(request).ip)
    except services.TooManyRegistrations as error:
        raise ApiError(429, str(error))
    registration = services.holder_register_or_notify(
        data=data, password=form.cleaned_data["password"], language=get_language()
    )
    return Status(201, {"id": registration.holder_id, "email_confirmation_required": True})


class TokenIn(Schema):
    username: str
    password: str
    otp_code: str | None = None


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime.datetime


@router.post(
    "/auth/token",
    response={200: TokenOut, 400: Errors, 401: Errors, 429: Errors},
    auth=None,
    summary="Get a bearer token",
    description=(
        "`username` is a NIR or an email. Accounts with two-step verification also send `otp_code` (the code of "
        "their authenticator app); without it the answer is 401 with an `otp_code` error. After repeated failures "
        "the identifier or the address is locked for a while: 429, the same whether or not the account exists."
    ),
)
def obtain_token(request, payload: TokenIn):
    client = client_info(request)
    result = signin.sign_in_password(
        identifier=payload.username,
        password=payload.password,
        client=client,
        channel=SignInChannel.API,
        otp_code=payload.otp_code,
    )
    if result.status == signin.Status.LOCKED:
        raise ApiError(429, result.message)
    if result.status == signin.Status.TOTP:
        raise ApiError(401, {"otp_code": [result.message]})
    if not result.ok:
        raise ApiError(401, {result.field: [result.message]})
    signin.sign_in_complete(
        user=result.user,
        client=client,
        channel=SignInChannel.API,
        new_device=result.new_device,
        security_url=request.build_absolute_uri(reverse("accounts:security")),
    )
    key, token = services.api_token_create(user=result.user)
    return {"token": key, "expires_at": token.expires_at}


class AddressOut(Schema):
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str


class MeOut(Schema):
    id: int
    email: str
    email_confirmed: bool
    role: str
    language: str
    holder: dict | None = None


@router.get("/me", response=MeOut, auth=bearer, summary="The signed-in user")
def me(request):
    user = request.auth
    holder = getattr(user, "holder", None) if user.is_holder else None
    return {
        "id": user.pk,
        "email": user.email,
        "email_confirmed": user.email_verified_at is not None,
        "role": user.role,
        "language": user.language,
        "holder": None
        if holder is None
        else {
            "id": holder.pk,
            "nir": holder.nir,
            "last_name": holder.last_name,
            "first_names": holder.first_names,
            "birth_date": holder.birth_date.isoformat(),
            "phone": holder.phone,
            "address": {
                "line1": holder.address_line1,
                "line2": holder.address_line2,
                "postal_code": holder.postal_code,
                "city": holder.city,
                "country": holder.country,
            },
            "status": holder.status,
            "low_qualified": holder.low_qualified,
            "disabled_worker": holder.disabled_worker,
            "closed_on": holder.closed_on.isoformat() if holder.closed_on else None,
        },
    }


class CodeIn(Schema):
    code: str


@router.post(
    "/me/email/confirm", response={204: None, 400: Errors}, auth=bearer, summary="Confirm the email with its code"
)
def confirm_email(request, payload: CodeIn):
    try:
        services.email_confirm(user=request.auth, code=payload.code)
    except services.CodeError as error:
        raise ApiError(400, {"code": [str(error)]})
    return Status(204, None)


@router.post(
    "/me/sign-out-everywhere",
    response={204: None},
    auth=bearer,
    summary="Sign out everywhere",
    description="Ends every web session, revokes every API token (this one too) and forgets every known device.",
)
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.auth, ip=client_info(request).ip)
    return Status(204, None)
