"""How the API reads a request: JSON objects only, and no NUL character anywhere (as Django forms refuse them;
PostgreSQL cannot store them). Errors come back in DESIGN §4's shape, in the caller's language."""

import json

from django.utils.translation import gettext as _
from ninja.parser import Parser

from opencpf.utils.text import has_nul


class RequestInputError(Exception):
    """What the client sent cannot be read: 400 with messages per field."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


def _nul_fields(value, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "__all__"] if has_nul(value) else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            found += [name] if has_nul(str(key)) else _nul_fields(item, name)
        return found
    if isinstance(value, list):
        return [field for index, item in enumerate(value) for field in _nul_fields(item, path or str(index))]
    return []


def reject_nul(data) -> None:
    if fields := _nul_fields(data):
        raise RequestInputError({field: [_("Null characters are not allowed.")] for field in fields})


class StrictParser(Parser):
    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise RequestInputError({"__all__": [_("The request body is not valid JSON.")]})
        # A real request's body is one JSON object (`null` or `[]` is not "no fields"). Ninja also calls this for
        # each part of a multipart body, with a bare request: those parts may be plain values.
        if request.META and not isinstance(data, dict):
            raise RequestInputError({"__all__": [_("The request body must be a JSON object.")]})
        reject_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        reject_nul(result)
        return result
