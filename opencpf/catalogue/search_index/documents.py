"""Documents from the database: one per searchable offer, with its upcoming sessions."""

import datetime
import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import tantivy
from django.db import connection
from django.utils import timezone

from opencpf.catalogue.enums import Modality
from opencpf.catalogue.models import Session
from opencpf.catalogue.search_index.terms import NO_DATE, REMOTE_KEY, day_number, period_units, space_terms
from opencpf.catalogue.search_index.text import prepare_text
from opencpf.catalogue.selectors import public_offers
from opencpf.places.selectors import commune_key


def _decimal_text(value: Decimal | None, places: str = "0.01") -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


@dataclass
class _SessionRow:
    id: int
    start: int
    end: int
    key: int
    postal_code: str
    city: str


_OFFER_COLUMNS = (
    "id",
    "title",
    "summary",
    "objectives",
    "prerequisites",
    "programme",
    "price",
    "hours",
    "modality",
    "rating_average",
    "rating_count",
    "organisation_id",
    "organisation__name",
    "organisation__qualiopi_expires_on",
    "certification__code",
    "certification__kind",
    "certification__title",
    "certification__level",
)


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _sessions_by_offer(offer_ids: list[int], today: datetime.date) -> dict[int, list[_SessionRow]]:
    """Upcoming open sessions of these offers (sorted ids), earliest first (plain SQL: it reads a million sessions).

    For a batch of consecutive offers, asks for the range of ids it spans: an index range scan whatever the
    planner knows of the table."""
    sessions: dict[int, list[_SessionRow]] = {}
    if not offer_ids:
        return sessions
    wanted = set(offer_ids)
    if offer_ids[-1] - offer_ids[0] < 2 * len(offer_ids):
        which = {"offer_id__gte": offer_ids[0], "offer_id__lte": offer_ids[-1]}
    else:  # a few scattered offers (an incremental update)
        which = {"offer_id__in": offer_ids}
    queryset = (
        Session.objects.filter(**which, is_active=True, start_date__gte=today)
        .order_by("offer_id", "start_date", "id")
        .values_list("offer_id", "id", "start_date", "end_date", "is_remote", "postal_code", "city", "insee_code")
    )
    sql, params = queryset.query.sql_with_params()
    keys: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for offer_id, session_id, start, end, is_remote, postal_code, city, insee in cursor.fetchall():
            if offer_id not in wanted:
                continue
            if is_remote or not insee:
                key = REMOTE_KEY
            elif (key := keys.get(insee)) is None:
                key = keys[insee] = commune_key(insee)
            sessions.setdefault(offer_id, []).append(
                _SessionRow(session_id, day_number(_as_date(start)), day_number(_as_date(end)), key, postal_code, city)
            )
    return sessions


def _document(row: tuple, sessions: list[_SessionRow]) -> tantivy.Document:
    (
        offer_id,
        title,
        summary,
        objectives,
        prerequisites,
        programme,
        price,
        hours,
        modality,
        rating_average,
        rating_count,
        organisation_id,
        organisation_name,
        qualiopi_expires_on,
        certification_code,
        certification_kind,
        certification_title,
        certification_level,
    ) = row
    cities = " ".join(sorted({session.city for session in sessions if session.key != REMOTE_KEY}))
    body = "\n".join(
        part
        for part in (summary, objectives, prerequisites, programme, certification_title, organisation_name, cities)
        if part
    )
    card = {
        "title": title,
        "summary": summary[:300],
        "price": _decimal_text(price),
        "hours": _decimal_text(hours, "0.1"),
        "modality": modality,
        "organisation_id": organisation_id,
        "organisation": organisation_name,
        "rating": _decimal_text(rating_average),
        "rating_count": rating_count,
        "certification": certification_code,
        "certification_kind": certification_kind,
        "certification_title": certification_title,
        "level": certification_level,
        "sessions": [[s.id, s.start, s.end, s.key, s.postal_code, s.city] for s in sessions],
    }
    prepared_title = prepare_text(title)
    days = []
    places = []
    place_days = []
    seen = set()
    for session in sessions:
        days.append(session.start)
        if session.key != REMOTE_KEY:
            terms = space_terms(session.key)
            if session.key not in seen:
                seen.add(session.key)
                places.extend(terms)
            units = period_units(session.start)
            place_days.extend([(term << 20) | unit for term in terms for unit in units])
    fields = {
        "offer_id": offer_id,
        "org_id": organisation_id,
        "title": prepared_title,
        "text": f"{prepared_title}\n{prepare_text(body)}",
        "cert": certification_code.upper(),
        "kind": certification_kind,
        "price": int(price * 100),
        "hours": int(hours * 10),
        "rating": int(rating_average * 100) if rating_average is not None else 0,
        "remote": 1 if modality in (Modality.REMOTE, Modality.MIXED) else 0,
        "qualiopi": day_number(qualiopi_expires_on),
        "next_start": sessions[0].start if sessions else NO_DATE,
        "card": json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode(),
        "when_where": array("i", [value for s in sessions for value in (s.start, s.key)]).tobytes(),
    }
    if days:
        fields["day"] = days
    if places:
        fields["place"] = places
        fields["pd"] = place_days
    doc = tantivy.Document(**fields)
    return doc


def iter_documents(
    *, offer_ids: Iterable[int] | None = None, batch_size: int = 5_000
) -> Iterator[tuple[int, tantivy.Document, set[int]]]:
    """(offer id, document, communes of its sessions) of the searchable offers (all, or those of `offer_ids`)."""
    today = timezone.localdate()
    queryset = public_offers(today)
    wanted = sorted(set(offer_ids)) if offer_ids is not None else None
    last_id = 0
    while True:
        if wanted is not None:
            chunk_ids = [i for i in wanted if i > last_id][:batch_size]
            if not chunk_ids:
                return
            batch = list(queryset.filter(id__in=chunk_ids).order_by("id").values_list(*_OFFER_COLUMNS))
            last_id = chunk_ids[-1]
        else:
            batch = list(queryset.filter(id__gt=last_id).order_by("id").values_list(*_OFFER_COLUMNS)[:batch_size])
            if not batch:
                return
            last_id = batch[-1][0]
        sessions = _sessions_by_offer([row[0] for row in batch], today)
        for row in batch:
            offer_sessions = sessions.get(row[0], [])
            yield row[0], _document(row, offer_sessions), {s.key for s in offer_sessions if s.key != REMOTE_KEY}
