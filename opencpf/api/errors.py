"""Every API error is JSON: 400 with messages per field for bad input, never a 500 for what a client sent."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from opencpf.api.parsing import RequestInputError


class ApiError(Exception):
    """Raised by API code to answer with a status and field errors, e.g. ApiError(409, {"__all__": [...]})."""

    def __init__(self, status: int, errors: dict[str, list[str]] | str, *, code: str | None = None, **extra):
        self.status = status
        self.errors = errors if isinstance(errors, dict) else {"__all__": [errors]}
        self.code = code  # a stable code the client acts on (DESIGN §4): answered with `code` and `detail`
        self.extra = extra
        super().__init__(str(self.errors))

    @property
    def detail(self) -> str:
        return " ".join(str(message) for messages in self.errors.values() for message in messages)

    def body(self) -> dict:
        if not self.code:
            return {"errors": self.errors, **self.extra}
        return {"errors": self.errors, "code": self.code, "detail": self.detail, **self.extra}


def field_errors_from_django(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for e in errors for message in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [str(message) for message in error.messages]}


def field_errors_from_form(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def _location(error: dict) -> str:
    # Drop "body"/"query" and the schema's own name: clients want the field path, e.g. "address.postal_code".
    # A list's item index is dropped: "earmark_offers", not "earmark_offers.0".
    parts = [
        str(part)
        for part in error.get("loc", ())
        if part not in ("body", "query", "path", "form") and not isinstance(part, int)
    ]
    if len(parts) > 1 and parts[0] in ("payload", "data", "params", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "opencpf_message":  # raised by our own validators, already in the caller's language
        return str(error.get("msg", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("int_", "decimal_", "float_")):
        return _("Enter a number.")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _("Enter a number in the allowed range.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith(("date", "datetime")):
        return _("Enter a date as YYYY-MM-DD.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("Enter a valid value.")


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_ninja_validation(request, exc):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_location(error), []).append(_message(error))
        return api.create_response(request, {"errors": errors}, status=400)

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        return api.create_response(request, {"errors": field_errors_from_django(exc)}, status=400)

    @api.exception_handler(RequestInputError)
    def on_request_input(request, exc):
        return api.create_response(request, {"errors": exc.errors}, status=400)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return api.create_response(request, {"errors": {"__all__": [_("The request body is too large.")]}}, status=413)

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc):  # too many fields or files, a malformed multipart body…
        return api.create_response(request, {"errors": {"__all__": [_("The request cannot be read.")]}}, status=400)

    @api.exception_handler(ApiError)
    def on_api_error(request, exc):
        return api.create_response(request, exc.body(), status=exc.status)

    @api.exception_handler(AuthenticationError)
    def on_authentication(request, exc):
        return api.create_response(request, {"detail": _("Authentication required.")}, status=401)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return api.create_response(request, {"detail": str(exc) or _("You are not allowed to do this.")}, status=403)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        # Ninja wraps what the parser raised ("Cannot parse request body", in English): answer the parser's errors.
        if isinstance(exc.__cause__, RequestInputError):
            return on_request_input(request, exc.__cause__)
        if exc.status_code == 400:
            return api.create_response(
                request, {"errors": {"__all__": [_("The request cannot be read.")]}}, status=400
            )
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
