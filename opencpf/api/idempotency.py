"""`Idempotency-Key` on every write of the API (DESIGN §4.5), in one place for all endpoints.

A write (POST, PUT, PATCH, DELETE under /api/v1/) that carries the header is served once per caller and key:
- the first call is recorded (its fingerprint: method, path and body) before it runs, and its answer is stored;
- the same key with the same request answers the stored answer again (`Idempotent-Replayed: true`), without
  acting twice;
- the same key with another request answers 422 `idempotency_key_reused`;
- while the first call is still being served, a retry answers 409 `idempotency_in_progress` (try again later);
- a 5xx or a crash forgets the key, so that a retry may act;
- keys expire `KEY_LIFETIME` after their first use.
"Caller" is the credential (a digest of the bearer token or key) or, anonymous, the client address. Sign-in
(`/auth/`) is left out: its answer is a secret that must not be stored."""

import contextlib
import datetime
import functools
import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import get_resolver
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.digests import digest
from opencpf.api.models import IdempotencyRecord
from opencpf.utils.client import client_ip

HEADER = "Idempotency-Key"
KEY_LIFETIME = datetime.timedelta(hours=24)
API_PREFIX = "/api/v1/"
EXCLUDED_PREFIXES = ("/api/v1/auth/",)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as HTTP header values are safely compared


def caller_scope(request) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization[:7].lower() == "bearer " and authorization[7:].strip():
        return "bearer:" + digest("idempotency:" + authorization[7:].strip())[:64]
    return f"anonymous:{client_ip(request) or '-'}"


def _fingerprint(request) -> str:
    body = request.body
    if (request.content_type or "").endswith("json"):
        # The same JSON written differently (spaces, key order) is the same body.
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    hashed = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    hashed.update(body)
    return hashed.hexdigest()


def _problem(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


_schema_of_the_api = None  # set by opencpf.api.api (`read_schema_from`), which installs this middleware's answers


def read_schema_from(provider) -> None:
    global _schema_of_the_api
    _schema_of_the_api = provider
    _anonymous_writes.cache_clear()


@functools.cache
def _anonymous_writes() -> tuple[tuple[str, re.Pattern], ...]:
    """The writes that serve anonymous callers, read from the API's own schema (no security, or an empty one)."""
    if _schema_of_the_api is None:
        get_resolver().url_patterns  # noqa: B018  (loading the URLs loads the API, which says where its schema is)
    found = []
    for path, operations in _schema_of_the_api()["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security")
            if method.upper() in WRITE_METHODS and (not security or {} in security):
                found.append((method.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")))
    return tuple(found)


def _credential_comes_first(request) -> bool:
    """Authentication answers before idempotency: a write that needs a credential and has no valid one is left to
    the view (401/403), never answered from the store of another caller sharing the same address."""
    if any(method == request.method and pattern.match(request.path) for method, pattern in _anonymous_writes()):
        return False
    authorization = request.headers.get("Authorization", "")
    token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else ""
    if not token:
        return True
    from opencpf.accounts.selectors import user_by_api_key
    from opencpf.catalogue.selectors import API_KEY_PREFIX, api_key_for

    if token.startswith(API_KEY_PREFIX):
        return api_key_for(token) is None
    return user_by_api_key(token) is None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method not in WRITE_METHODS
            or not request.path.startswith(API_PREFIX)
            or request.path.startswith(EXCLUDED_PREFIXES)
            or _credential_comes_first(request)
        ):
            return self.get_response(request)
        if not _KEY.fullmatch(key):
            return JsonResponse(
                {"errors": {HEADER: [_("Use 1 to 255 visible ASCII characters (a UUID, say).")]}}, status=400
            )
        try:
            fingerprint = _fingerprint(request)
        except Exception:  # an unreadable or too large body: the view answers it as it would without the key
            return self.get_response(request)

        scope, now = caller_scope(request), timezone.now()
        IdempotencyRecord.objects.filter(scope=scope, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    fingerprint=fingerprint,
                    created_at=now,
                    expires_at=now + KEY_LIFETIME,
                )
        except IntegrityError:
            earlier = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
            if earlier is None:  # expired and removed by a concurrent call meanwhile: let the client retry
                return _problem(409, "idempotency_in_progress", _("This request is being served. Try again shortly."))
            if earlier.fingerprint != fingerprint:
                return _problem(
                    422,
                    "idempotency_key_reused",
                    _("This Idempotency-Key was used for another request. Use a new key for a new request."),
                )
            if earlier.status is None:
                return _problem(409, "idempotency_in_progress", _("This request is being served. Try again shortly."))
            return _replay(earlier)

        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500 or response.streaming:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            status=response.status_code,
            content_type=response.get("Content-Type", "")[:100],
            body=response.content,
        )
        return response


def document(schema: dict) -> dict:
    """Add the header and the answers of this mechanism to every write operation of the OpenAPI schema."""
    ref = "#/components/schemas/"
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[\x21-\x7e]+$"},
        "description": "Served once per caller and key for 24 h: the same request gets the first answer again; "
        "another request with this key gets 422.",
        "example": "0b7e6a4c-3f0e-4d0c-9a55-1f6f3c2b7a10",
    }
    added = {  # ninja keys responses by int
        400: ("Bad Request", "Errors"),
        409: ("Conflict", "Detail"),
        422: ("Unprocessable Content", "Detail"),
    }
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX) or path.startswith(EXCLUDED_PREFIXES):
            continue
        for method, operation in operations.items():
            if method.upper() not in WRITE_METHODS:
                continue
            operation.setdefault("parameters", []).append(parameter)
            responses = operation.setdefault("responses", {})
            for status, (description, name) in added.items():
                content = {"$ref": ref + name}
                if status not in responses:
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": content}},
                    }
                    continue
                current = responses[status].setdefault("content", {}).setdefault("application/json", {})
                existing = current.get("schema")
                # anyOf, not oneOf: an answer may fit both (a registration's field errors are also plain errors).
                if existing and existing != content and "anyOf" not in existing:
                    current["schema"] = {"anyOf": [existing, content]}
                elif not existing:
                    current["schema"] = content
    return schema
