"""Types shared by every API module: errors, money, dates, ids. One definition each, used in every `response={…}`."""

import datetime
import re
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from opencpf.utils.dates import validate_date_in_window
from opencpf.utils.text import clean_name

# Database ids are signed 64-bit integers: anything larger is refused before it reaches a query.
MAX_ID = 2**63 - 1


class StrictIn(Schema):
    """A request body: a field the endpoint does not know is refused (400), not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Errors(Schema):
    """400 (and 402/409/413/429): messages per field; `__all__` for the request as a whole. Refusals the client
    must act on also carry a stable `code` (e.g. `frozen`) and a `detail`."""

    errors: dict[str, list[str]]
    code: str | None = None
    detail: str | None = None


class Detail(Schema):
    """401/403/404: a sentence, and a stable `code` when the client must act on it."""

    detail: str
    code: str | None = None


def money(amount: Decimal | str | None) -> str | None:
    return None if amount is None else f"{Decimal(amount):.2f}"


# Money out: a decimal string with two decimals ("248.91"), never a float.
Money = Annotated[
    Decimal,
    PlainSerializer(money, return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$", "examples": ["248.91"]}),
]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value):
    # Pydantic would take 0 as 1970-01-01 (a Unix time) and "2026-1-5" loosely: the API speaks ISO 8601 only.
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_iso", "Enter a date as YYYY-MM-DD.")
    return value


def _in_window(value: datetime.date) -> datetime.date:
    try:
        validate_date_in_window(value)
    except ValidationError as error:
        raise PydanticCustomError("opencpf_message", str(error.messages[0]))
    return value


# A date given to the API: ISO 8601 (YYYY-MM-DD), inside the service's window (opencpf.utils.dates).
IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    AfterValidator(_in_window),
    WithJsonSchema({"type": "string", "format": "date"}),
]

# An id in a path or a body: a positive 64-bit integer.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# A person's or organisation's name: no invisible or direction-changing characters (opencpf.utils.text).
Name = Annotated[str, AfterValidator(clean_name)]


# Answers every endpoint of a kind can give, to spread into `response={…}` so the schema lists them all.
BAD_INPUT = {400: Errors}  # a query or path parameter that is not what it should be
BODY_ERRORS = {400: Errors, 413: Errors}  # a JSON body: bad fields, unreadable, or over the upload limit
SIGNED_IN = {401: Detail}  # no valid bearer token
