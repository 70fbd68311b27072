"""The OpenID Connect client for FranceConnect (authlib): the authorization code flow with `state`, `nonce` and PKCE
(S256), `acr_values` eidas1 or eidas2, the ID token's signature, issuer, audience, nonce and `acr` checked, then the
claims read from the userinfo endpoint (JSON, or a signed JWT as FranceConnect v2 sends them).

Everything that can go wrong on the way back becomes a FederationError with a stable `code` and a message in the
user's language; nothing is written here."""

import datetime
import logging
import time
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from opencpf.identity.enums import Acr, FederationPurpose

logger = logging.getLogger(__name__)

NAME = "franceconnect"
# FranceConnect asks one scope per claim; email is not asked: the account keeps its own, confirmed one.
SCOPES = "openid given_name family_name birthdate gender birthplace birthcountry preferred_username"
FLOWS_SESSION_KEY = "opencpf_franceconnect_flows"
FLOW_LIFETIME = datetime.timedelta(minutes=10)
MAX_FLOWS = 3  # flows started in this browser and not finished (several tabs)
METADATA_LIFETIME = datetime.timedelta(hours=12)
HTTP_TIMEOUT = 10  # seconds, for every call to the provider
REQUESTED_ACR = {FederationPurpose.VERIFY: Acr.EIDAS2, FederationPurpose.SIGN_IN: Acr.EIDAS1}


class FederationError(Exception):
    """`code`: state (no sign-in started here, or already finished), expired, cancelled, provider_error, code
    (expired or already used), token (ID token not valid: signature, issuer, audience, nonce, acr), claims,
    unreachable, not_configured."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True)
class FederationAnswer:
    purpose: FederationPurpose
    user_id: int | None  # the signed-in user who started a VERIFY flow
    issuer: str
    sub: str
    acr: Acr
    claims: dict


def configured() -> bool:
    return bool(
        settings.OPENCPF_FRANCECONNECT_ISSUER
        and settings.OPENCPF_FRANCECONNECT_CLIENT_ID
        and settings.OPENCPF_FRANCECONNECT_CLIENT_SECRET
    )


_apps: dict[tuple[str, str, str], object] = {}


def _issuer() -> str:
    return settings.OPENCPF_FRANCECONNECT_ISSUER.rstrip("/")


def _app():
    """One authlib client per configuration (its discovery document and keys are kept once fetched)."""
    key = (_issuer(), settings.OPENCPF_FRANCECONNECT_CLIENT_ID, settings.OPENCPF_FRANCECONNECT_CLIENT_SECRET)
    if key not in _apps:
        registry = OAuth()
        _apps[key] = registry.register(
            NAME,
            client_id=key[1],
            client_secret=key[2],
            server_metadata_url=f"{key[0]}/.well-known/openid-configuration",
            client_kwargs={
                "scope": SCOPES,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_post",
                "default_timeout": HTTP_TIMEOUT,
            },
        )
    app = _apps[key]
    if time.time() - app.server_metadata.get("_loaded_at", time.time()) > METADATA_LIFETIME.total_seconds():
        app.server_metadata.pop("_loaded_at", None)  # read the discovery document (and its keys) again
        app.server_metadata.pop("jwks", None)
    return app


def _unreachable() -> FederationError:
    return FederationError("unreachable", _("FranceConnect cannot be reached right now. Please try again later."))


def _metadata(app) -> dict:
    try:
        metadata = app.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        logger.warning("FranceConnect discovery failed: %s", type(error).__name__)
        raise _unreachable() from error
    if metadata.get("issuer", "").rstrip("/") != _issuer():  # mix-up: the document must be the issuer's own
        logger.error("FranceConnect discovery names another issuer")
        raise _unreachable()
    return metadata


def _redirect_uri(request) -> str:
    return settings.OPENCPF_FRANCECONNECT_REDIRECT_URI or request.build_absolute_uri(
        reverse("identity:franceconnect_callback")
    )


def authorization_url(*, request, purpose: FederationPurpose) -> str:
    """Start a flow: the state, nonce and PKCE verifier stay in this browser's session; returns the provider's URL."""
    if not configured():
        raise FederationError("not_configured", _("Signing in with FranceConnect is not available."))
    app = _app()
    _metadata(app)
    redirect_uri = _redirect_uri(request)
    try:
        started = app.create_authorization_url(
            redirect_uri, acr_values=REQUESTED_ACR[purpose], prompt="login", ui_locales=request.LANGUAGE_CODE
        )
    except requests.RequestException as error:
        raise _unreachable() from error
    app.save_authorize_data(request, redirect_uri=redirect_uri, **started)
    flows = dict(request.session.get(FLOWS_SESSION_KEY) or {})
    flows[started["state"]] = {
        "purpose": purpose.value,
        "user_id": request.user.pk if request.user.is_authenticated else None,
        "started_at": timezone.now().timestamp(),
    }
    request.session[FLOWS_SESSION_KEY] = dict(list(flows.items())[-MAX_FLOWS:])
    return started["url"]


def _flow(request, state: str) -> dict | None:
    flows = dict(request.session.get(FLOWS_SESSION_KEY) or {})
    flow = flows.pop(state, None) if state else None
    request.session[FLOWS_SESSION_KEY] = flows  # a state is used once, whatever happens next
    return flow


def _userinfo(app, metadata: dict, token: dict) -> dict:
    response = app.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if response.headers.get("content-type", "").split(";")[0].strip() != "application/jwt":
        claims = response.json()
        if not isinstance(claims, dict):
            raise ValueError("userinfo is not an object")
        return claims
    keys = KeySet.import_key_set(app.fetch_jwk_set())
    decoded = jwt.decode(response.text.strip(), keys)
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": settings.OPENCPF_FRANCECONNECT_CLIENT_ID},
    ).validate(decoded.claims)
    return dict(decoded.claims)


def _refused(code: str) -> FederationError:
    messages = {
        "state": _(
            "This FranceConnect answer does not belong to a sign-in started in this browser, or it was already "
            "used. Nothing was changed: please start again."
        ),
        "expired": _("This FranceConnect sign-in took too long. Nothing was changed: please start again."),
        "cancelled": _("The FranceConnect sign-in was cancelled. Nothing was changed."),
        "provider_error": _("FranceConnect refused the sign-in. Nothing was changed: please try again."),
        "code": _(
            "This FranceConnect answer has expired or was already used. Nothing was changed: please start again."
        ),
        "token": _("The FranceConnect answer could not be verified. Nothing was changed: please start again."),
    }
    return FederationError(code, messages[code])


def callback_answer(request) -> FederationAnswer:
    """The provider's answer to a flow started in this browser, checked end to end."""
    if not configured():
        raise FederationError("not_configured", _("Signing in with FranceConnect is not available."))
    params = request.GET
    flow = _flow(request, params.get("state", ""))
    if flow is None:
        raise _refused("state")
    if timezone.now().timestamp() - float(flow["started_at"]) > FLOW_LIFETIME.total_seconds():
        raise _refused("expired")
    if params.get("error"):
        raise _refused("cancelled" if params.get("error") == "access_denied" else "provider_error")
    app = _app()
    metadata = _metadata(app)
    if params.get("iss") and params["iss"].rstrip("/") != _issuer():  # RFC 9207: an answer from another issuer
        raise _refused("token")
    try:
        token = app.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": metadata["issuer"]},
                "acr": {"essential": True, "values": list(Acr.values)},
            },
            leeway=60,
        )
        if not token.get("userinfo"):  # no ID token at all
            raise _refused("token")
        claims = _userinfo(app, metadata, token)
    except MismatchingStateError as error:
        raise _refused("state") from error
    except OAuthError as error:
        logger.info("FranceConnect token endpoint refused: %s", error.error)
        raise _refused("code" if error.error == "invalid_grant" else "provider_error") from error
    except (JoseError, ValueError, KeyError) as error:
        logger.warning("FranceConnect answer not valid: %s", type(error).__name__)
        raise _refused("token") from error
    except requests.RequestException as error:
        raise _unreachable() from error
    id_token = token["userinfo"]
    if claims.get("sub") != id_token["sub"]:
        raise _refused("token")
    return FederationAnswer(
        purpose=FederationPurpose(flow["purpose"]),
        user_id=flow.get("user_id"),
        issuer=_issuer(),
        sub=str(id_token["sub"])[:255],
        acr=Acr(id_token["acr"]),
        claims=claims,
    )
