import datetime

from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from opencpf.accounts import services, signin
from opencpf.accounts.enums import SignInChannel
from opencpf.accounts.forms import HolderRegistrationForm
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError, field_errors_from_form
from opencpf.api.schemas import BODY_ERRORS, SIGNED_IN, Errors, Name
from opencpf.utils.client import client_info

router = Router(tags=["Accounts"])
authenticated = Router(tags=["Accounts"], auth=bearer)
router.add_router("", authenticated)


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
    response={201: HolderCreated, **BODY_ERRORS, 429: Errors},
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
    response={200: TokenOut, **BODY_ERRORS, 401: Errors, 429: Errors},
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
    line1: str = Field(validation_alias="address_line1")
    line2: str = Field(validation_alias="address_line2")
    postal_code: str
    city: str
    country: str


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
    closed_on: datetime.date | None

    @staticmethod
    def resolve_address(holder):
        return holder  # the address fields live on the holder


class MeOut(Schema):
    id: int
    email: str
    email_confirmed: bool
    role: str
    language: str
    holder: HolderMeOut | None = None

    @staticmethod
    def resolve_email_confirmed(user) -> bool:
        return user.email_verified_at is not None

    @staticmethod
    def resolve_holder(user):
        return getattr(user, "holder", None) if user.is_holder else None


@authenticated.get("/me", response={200: MeOut, **SIGNED_IN}, summary="The signed-in user")
def me(request):
    return request.auth


class CodeIn(Schema):
    code: str


@authenticated.post(
    "/me/email/confirm",
    response={204: None, **BODY_ERRORS, **SIGNED_IN},
    summary="Confirm the email with its code",
)
def confirm_email(request, payload: CodeIn):
    try:
        services.email_confirm(user=request.auth, code=payload.code)
    except services.CodeError as error:
        raise ApiError(400, {"code": [str(error)]})
    return Status(204, None)


@authenticated.post(
    "/me/sign-out-everywhere",
    response={204: None, **SIGNED_IN},
    summary="Sign out everywhere",
    description="Ends every web session, revokes every API token (this one too) and forgets every known device.",
)
def sign_out_everywhere(request):
    services.sign_out_everywhere(user=request.auth, ip=client_info(request).ip)
    return Status(204, None)
