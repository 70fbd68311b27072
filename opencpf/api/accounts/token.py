"""A bearer token for a NIR or an email and its password, with the same remembered devices, second step and
locks as the website's sign-in."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from opencpf.accounts import services, signin
from opencpf.accounts.enums import SignInChannel
from opencpf.api.errors import ApiError
from opencpf.api.schemas import BODY_ERRORS, Errors
from opencpf.utils.client import client_info

router = Router()


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
    operation_id="opencpf_api_accounts_obtain_token",
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
