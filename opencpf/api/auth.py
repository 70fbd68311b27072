from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from opencpf.accounts.selectors import user_by_api_key
from opencpf.catalogue.enums import ApiKeyScope
from opencpf.catalogue.selectors import API_KEY_PREFIX, api_key_for
from opencpf.catalogue.services.api_keys import api_key_used

# Where an organisation's API key may go, and with which scope: organisation endpoints only (the one place).
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def scopes_needed(method: str, path: str) -> frozenset[str]:
    """Any one of these scopes lets a key call this endpoint; empty: no key may."""
    if path.startswith(("/api/v1/organisation/offers", "/api/v1/organisation/sessions")):
        if method in _READS:
            return frozenset({ApiKeyScope.CATALOGUE_READ, ApiKeyScope.CATALOGUE_WRITE})
        return frozenset({ApiKeyScope.CATALOGUE_WRITE})
    if path.startswith(("/api/v1/organisation/payments", "/api/v1/organisation/bank-details")):
        return frozenset({ApiKeyScope.PAYMENTS})
    if path.startswith(("/api/v1/dossiers", "/api/v1/organisation/dossiers")):
        return frozenset({ApiKeyScope.FILES})
    return frozenset()


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token, or an organisation's API key (`ocpf_org_…`)
    on the organisation endpoints its scopes open."""

    def authenticate(self, request, token):
        if token.startswith(API_KEY_PREFIX):
            key = api_key_for(token)
            if key is None:
                return None
            if not scopes_needed(request.method, request.path) & set(key.scopes):
                raise PermissionDenied(_("This API key's scopes do not open this endpoint."))
            api_key_used(key)
            request.user = key.user
            return key.user
        user = user_by_api_key(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerAuth()


def document(schema: dict) -> dict:
    """What the credentials make the endpoints answer, in the schema: a signed-in caller without the right gets 403
    (an organisation key out of its scopes is one, on every secured endpoint); an endpoint that also serves
    anonymous callers says so with an empty security requirement."""
    forbidden = {
        "description": "Forbidden: your role, or your API key's scopes, do not open this endpoint",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Detail"}}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security") or []
            if not security:
                continue
            if any("BearerOrAnonymous" in requirement for requirement in security) and {} not in security:
                security.append({})
            operation.setdefault("responses", {}).setdefault(403, forbidden)
    return schema
