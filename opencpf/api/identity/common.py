"""What the identity endpoints share: multipart bodies read from the request's form, the identity an anonymous
requester claims, and how a refusal or an agent's decision is answered.

The views keep the operation ids they had when they all lived in `opencpf.api.identity` (ninja derives them from
the module): clients generate code from them, so each view spells its id out (a literal, to be found by a grep)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema, Status

from opencpf.accounts.nir import validate_nir
from opencpf.api.agent import _agent_or_403
from opencpf.api.errors import ApiError
from opencpf.identity import services
from opencpf.utils.client import client_ip
from opencpf.utils.dates import validate_birth_date
from opencpf.utils.text import clean_name, has_nul


class ReasonIn(Schema):
    reason: str


def multipart_body(properties: dict, required: list[str]) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": properties, "required": required}}
            },
        }
    }


DOCUMENT = {
    "type": "string",
    "format": "binary",
    "description": "PDF, JPEG or PNG, at most 5 MB (type read from the content)",
}


def form_fields(request, names: tuple[str, ...]) -> dict[str, str]:
    """The form fields of a multipart body, NUL characters refused like everywhere in the API."""
    values = {name: (request.POST.get(name) or "").strip() for name in names}
    nul = [name for name, value in values.items() if has_nul(value)]
    if nul:
        raise ApiError(400, {name: [_("Null characters are not allowed.")] for name in nul})
    return values


def claimed_identity(values: dict[str, str], fields: tuple[str, ...]) -> dict:
    """nir, birth_date, last_name / email as an anonymous requester gives them; 400 with every error at once."""
    errors: dict[str, list[str]] = {name: [_("This field is required.")] for name in fields if not values.get(name)}
    result: dict = {}
    if "nir" in fields and "nir" not in errors:
        try:
            result["nir"] = validate_nir(values["nir"])
        except ValidationError as error:
            errors["nir"] = [str(m) for m in error.messages]
    if "birth_date" in fields and "birth_date" not in errors:
        try:
            result["birth_date"] = datetime.date.fromisoformat(values["birth_date"])
            validate_birth_date(result["birth_date"])
        except (ValueError, ValidationError):
            errors["birth_date"] = [_("Enter a date as YYYY-MM-DD.")]
    if "last_name" in fields and "last_name" not in errors:
        result["last_name"] = clean_name(values["last_name"])[:150]
    if "email" in fields and "email" not in errors:
        try:
            validate_email(values["email"])
            result["email"] = values["email"]
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if errors:
        raise ApiError(400, errors)
    return result


def refused(error: services.IdentityCheckError):
    if error.status == 400:
        raise ApiError(400, error.errors)
    raise ApiError(error.status, error.errors, code=error.code)


def decision(request, call):
    if (forbidden := _agent_or_403(request)) is not None:
        return forbidden
    try:
        check = call(client_ip(request))
    except services.IdentityCheckError as error:
        refused(error)
    # Each answer's schema keeps its own fields (a proof has no reference).
    return Status(200, {"id": check.pk, "reference": getattr(check, "reference", ""), "status": check.status})
