import datetime

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from opencpf.accounts import services, signin
from opencpf.accounts.enums import SignInChannel
from opencpf.accounts.forms import HolderRegistrationForm
from opencpf.api.auth import bearer
from opencpf.api.errors import ApiError, field_errors_from_form
from opencpf.api.schemas import BODY_ERRORS, SIGNED_IN, Errors, Name
from opencpf.identity import situations
from opencpf.utils.client import client_info, client_ip

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


class RegistrationErrors(Errors):
    recovery_url: str | None = Field(
        None,
        description='With the error on `nir` when that number already has an account: the "this is my number" page '
        "(identity check by an agent, who gives the account back to the number's owner).",
    )


class HolderCreated(Schema):
    id: int
    email_confirmation_required: bool


_ADDRESS_FIELDS = {"address_line1": "line1", "address_line2": "line2", "postal_code": "postal_code", "city": "city"}


@router.post(
    "/holders",
    response={201: HolderCreated, **BODY_ERRORS, 400: RegistrationErrors, 429: Errors},
    auth=None,
    summary="Register a holder",
    description=(
        "201 with the new holder's `id`; a code is emailed to confirm the address. When the email already has an "
        "account, the answer is the same (201, an `id` that designates nothing readable) and the account's owner "
        "is told by email: this endpoint never says who uses an email. When the NIR already has an account: 400 "
        'on `nir` ("an account already exists", nothing about it) with `recovery_url`, the page where the '
        "number's owner proves who they are to get the account back; its owner is told by email too. 429 after "
        "too many registrations from one address or for one NIR or email."
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
        services.registration_limit_check(data=data, ip=client_ip(request))
    except services.TooManyRegistrations as error:
        raise ApiError(429, str(error))
    registration = situations.holder_register_declaring(
        data=data, password=form.cleaned_data["password"], language=get_language()
    )
    if registration.nir_taken:
        recovery_url = request.build_absolute_uri(reverse("identity:recover"))
        raise ApiError(400, {"nir": [str(services.NIR_TAKEN)]}, recovery_url=recovery_url)
    return Status(201, {"id": registration.holder_id, "email_confirmation_required": True})


class TokenIn(Schema):
    username: str | None = None
    password: str | None = None
    otp_code: str | None = None
    device_token: str | None = None
    challenge: str | None = None
    device_code: str | None = None


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime.datetime
    device_token: str | None = Field(
        None, description="Given when this device has just proved itself: send it with every later sign-in."
    )


class AbroadRestricted(Schema):
    code: str = "abroad_restricted"
    detail: str
    access_request_url: str


class DeviceCodeRequired(Schema):
    code: str = "device_code_required"
    detail: str
    challenge: str


def _token_answer(request, result: signin.SignInResult, *, client, device_token: str | None):
    if result.status == signin.Status.ABROAD:
        raise ApiError(
            403,
            result.message,
            code="abroad_restricted",
            access_request_url=request.build_absolute_uri(reverse("identity:access_request")),
        )
    if result.status == signin.Status.LOCKED:
        raise ApiError(429, result.message)
    if result.status == signin.Status.EXPIRED:
        raise ApiError(400, {"challenge": [result.message]})
    if result.status == signin.Status.TOTP:
        raise ApiError(401, {"otp_code": [result.message]})
    if result.status == signin.Status.DEVICE_CODE:
        return Status(
            401,
            {
                "code": "device_code_required",
                "detail": result.message,
                "challenge": signin.challenge_of(result.pending),
            },
        )
    if not result.ok:
        raise ApiError(401, {result.field: [result.message]})
    remembered = signin.sign_in_complete(
        user=result.user,
        client=client,
        channel=SignInChannel.API,
        new_device=result.new_device,
        security_url=request.build_absolute_uri(reverse("accounts:security")),
        device_token=device_token,
    )
    key, token = services.api_token_create(user=result.user)
    answer = {"token": key, "expires_at": token.expires_at}
    if result.new_device:
        answer["device_token"] = remembered
    return Status(200, answer)


@router.post(
    "/auth/token",
    response={200: TokenOut, **BODY_ERRORS, 401: DeviceCodeRequired | Errors, 403: AbroadRestricted, 429: Errors},
    auth=None,
    summary="Get a bearer token",
    description=(
        "`username` is a NIR or an email, with `password`. A device (application) that signed in before sends the "
        "`device_token` it was given and gets 200 `{token, expires_at}`. Any other device gets 401 "
        "`{code: device_code_required, challenge}` and a 6-digit code by email; it then sends `challenge` and "
        "`device_code` (nothing else is needed) and gets 200 `{token, expires_at, device_token}` — the same "
        "remembered devices as the website. Accounts with an authenticator app send `otp_code` instead of waiting "
        "for an email; without it the answer is 401 with an `otp_code` error. After repeated failures the account "
        "or the address is locked for a while: 429, the same whether or not the account exists; a lock on an "
        "address never refuses the right password from a known device. Before anything else: from an address "
        "outside France, the EU and the EEA (parameter `abroad/zone`) that tried more than `abroad/daily_attempts` "
        "times today, 403 `abroad_restricted` with `access_request_url`, unless the account has personal access."
    ),
)
def obtain_token(request, payload: TokenIn):
    client = client_info(request)
    if payload.challenge is not None or payload.device_code is not None:
        errors = {
            field: [_("This field is required.")]
            for field in ("challenge", "device_code")
            if not (getattr(payload, field) or "").strip()
        }
        if errors:
            raise ApiError(400, errors)
        pending = signin.pending_of_challenge(payload.challenge)
        if pending is None:
            raise ApiError(400, {"challenge": [_("This sign-in took too long or is not valid. Please start again.")]})
        result = signin.sign_in_second_step(
            pending=pending, code=payload.device_code, client=client, channel=SignInChannel.API
        )
        return _token_answer(request, result, client=client, device_token=None)
    errors = {
        field: [_("This field is required.")] for field in ("username", "password") if not getattr(payload, field)
    }
    if errors:
        raise ApiError(400, errors)
    result = signin.sign_in_password(
        identifier=payload.username,
        password=payload.password,
        client=client,
        channel=SignInChannel.API,
        device_token=payload.device_token,
        otp_code=payload.otp_code,
    )
    return _token_answer(request, result, client=client, device_token=payload.device_token)


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
    services.sign_out_everywhere(user=request.auth, ip=client_ip(request))
    return Status(204, None)
