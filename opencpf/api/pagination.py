"""Cursor pagination of the organisation's lists: newest first (by id), `limit` items, `next_cursor` to go on.
A cursor is opaque to clients; one that cannot be read answers 400 on the `cursor` field."""

import base64
import binascii
import datetime

from django.utils.translation import gettext as _
from ninja import Field, Schema

from opencpf.api.errors import ApiError
from opencpf.api.schemas import MAX_ID

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
_PREFIX = "id:"


class CursorQuery(Schema):
    cursor: str | None = Field(None, max_length=100, description="`next_cursor` of the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
            raise ValueError
        value = int(text[len(_PREFIX) :])
        if not 1 <= value <= MAX_ID:
            raise ValueError
        return value
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, {"cursor": [_("This cursor is not valid: start again from the first page.")]})


def paginate(queryset, query: CursorQuery) -> tuple[list, str | None, int]:
    """(items of the page, next cursor or None, total count of the filtered list)."""
    count = queryset.count()
    page = queryset.order_by("-id")
    if query.cursor:
        page = page.filter(id__lt=decode(query.cursor))
    items = list(page[: query.limit + 1])
    more = len(items) > query.limit
    items = items[: query.limit]
    return items, (encode(items[-1].pk) if more and items else None), count


# A cursor over (a date or none, id): the work list of files goes by nearest deadline, closed files last.
_DATED = "dated:"


def encode_dated(day: datetime.date | None, last_id: int) -> str:
    text = f"{_DATED}{day.isoformat() if day else '-'}:{last_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_dated(cursor: str) -> tuple[datetime.date | None, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not text.startswith(_DATED):
            raise ValueError
        day_text, _sep, id_text = text[len(_DATED) :].partition(":")
        if not id_text.isdigit() or not 1 <= int(id_text) <= MAX_ID:
            raise ValueError
        day = None if day_text == "-" else datetime.date.fromisoformat(day_text)
        return day, int(id_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, {"cursor": [_("This cursor is not valid: start again from the first page.")]})
