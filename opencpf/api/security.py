"""The signed-in person's security data for a mobile app (what "My security" shows on the web): sign-in history,
web sessions, remembered devices, applications signed in with a token; closing a session, forgetting a device,
signing an application out. Organisation API keys have no account security of their own: they get 403."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status

from opencpf.accounts import selectors, services, signin
from opencpf.api.auth import bearer
from opencpf.api.schemas import BAD_INPUT, SIGNED_IN, Detail, Id
from opencpf.utils.client import client_ip

router = Router(tags=["Accounts: security"], auth=bearer)

CLOSE = {204: None, **BAD_INPUT, **SIGNED_IN, 403: Detail, 404: Detail}
SIGN_IN_HISTORY_LENGTH = 30


class SignInOut(Schema):
    at: datetime.datetime
    outcome: str = Field(examples=["success", "bad_credentials", "code_sent"])
    channel: str = Field(examples=["web", "api"])
    new_device: bool
    ip_address: str | None
    country: str = Field(description="ISO 3166 alpha-2, empty when unknown", examples=["FR"])
    device: str = Field(examples=["Firefox on Linux"])


class SignInsOut(Schema):
    results: list[SignInOut] = Field(description=f"The last {SIGN_IN_HISTORY_LENGTH} attempts, newest first")


class WebSessionOut(Schema):
    id: int
    created_at: datetime.datetime
    ip_address: str | None
    country: str
    device: str


class DeviceOut(Schema):
    id: int
    label: str
    first_seen_at: datetime.datetime
    last_seen_at: datetime.datetime


class TokenOut(Schema):
    id: int
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    current: bool = Field(description="The token of this request")


class SecurityOut(Schema):
    totp_enabled: bool
    sessions: list[WebSessionOut] = Field(description="Web sessions still open, newest first")
    devices: list[DeviceOut] = Field(description="Devices that proved themselves with an emailed code")
    tokens: list[TokenOut] = Field(description="Applications signed in with a bearer token (this one included)")


def _bearer(request) -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


@router.get(
    "/me/security",
    response={200: SecurityOut, **SIGNED_IN, 403: Detail},
    summary="My security: open sessions, remembered devices, signed-in applications",
)
def my_security(request):
    user = request.auth
    current = selectors.api_token_id_of(_bearer(request))
    return {
        "totp_enabled": selectors.confirmed_totp_device(user) is not None,
        "sessions": selectors.active_sessions(user),
        "devices": selectors.known_devices(user),
        "tokens": [
            {
                "id": token.pk,
                "created_at": token.created_at,
                "expires_at": token.expires_at,
                "last_used_at": token.last_used_at,
                "current": token.pk == current,
            }
            for token in selectors.live_api_tokens(user)
        ],
    }


@router.get(
    "/me/sign-ins",
    response={200: SignInsOut, **SIGNED_IN, 403: Detail},
    summary="My sign-in history (time, address, country, device, outcome)",
)
def my_sign_ins(request):
    return {"results": selectors.sign_in_history(request.auth, limit=SIGN_IN_HISTORY_LENGTH)}


@router.delete(
    "/me/sessions/{session_id}",
    response=CLOSE,
    summary="Close one web session (that browser is signed out)",
)
def close_session(request, session_id: Id):
    if not services.session_revoke(user=request.auth, session_id=session_id, ip=client_ip(request)):
        raise Http404
    return Status(204, None)


@router.delete(
    "/me/devices/{device_id}",
    response=CLOSE,
    summary="Forget a remembered device (its next sign-in asks for an emailed code)",
)
def forget_device(request, device_id: Id):
    if not signin.device_forget(user=request.auth, device_id=device_id, ip=client_ip(request)):
        raise Http404
    return Status(204, None)


@router.delete(
    "/me/tokens/{token_id}",
    response=CLOSE,
    summary="Sign an application out (e.g. a lost phone): its token stops at once",
)
def revoke_token(request, token_id: Id):
    if not services.api_token_revoke(user=request.auth, token_id=token_id, ip=client_ip(request)):
        raise Http404
    return Status(204, None)
