"""The sessions of the organisation's offers: listed with filters and a cursor, added, edited and closed."""

import datetime
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opencpf.api.errors import ApiError
from opencpf.api.organisation.common import READ, WRITE, act, own_offer, staff_organisation_ids
from opencpf.api.pagination import CursorQuery, paginate
from opencpf.api.schemas import Detail, Id, IsoDate, StrictIn
from opencpf.catalogue.models import Session
from opencpf.catalogue.services import offers as services
from opencpf.utils.client import client_ip

router = Router()


class SessionIn(StrictIn):
    start_date: IsoDate
    end_date: IsoDate
    remote: bool = False
    postal_code: str = Field("", max_length=10)
    city: str = Field("", max_length=120)
    seats: int | None = Field(None, ge=1, le=100_000)


class SessionPatch(StrictIn):
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    remote: bool | None = None
    postal_code: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=120)
    seats: int | None = Field(None, ge=1, le=100_000)


class OrgSessionOut(Schema):
    id: int
    offer_id: int
    start_date: datetime.date
    end_date: datetime.date
    remote: bool
    postal_code: str
    city: str
    seats: int | None
    open: bool


class OrgSessionsOut(Schema):
    count: int
    next_cursor: str | None
    results: list[OrgSessionOut]


class SessionsQuery(CursorQuery):
    status: Literal["open", "closed"] | None = None
    start_after: IsoDate | None = None


def _session_json(session: Session) -> dict:
    return {
        "id": session.pk,
        "offer_id": session.offer_id,
        "start_date": session.start_date,
        "end_date": session.end_date,
        "remote": session.is_remote,
        "postal_code": session.postal_code,
        "city": session.city,
        "seats": session.seats,
        "open": session.is_active,
    }


def _own_session(request, session_id: int) -> Session:
    session = Session.objects.filter(pk=session_id, offer__organisation_id__in=staff_organisation_ids(request)).first()
    if session is None:
        raise Http404
    return session


@router.get(
    "/organisation/offers/{offer_id}/sessions",
    response={200: OrgSessionsOut, 404: Detail, **READ},
    summary="Sessions of an offer",
    operation_id="opencpf_api_organisation_list_sessions",
)
def list_sessions(request, offer_id: Id, query: Query[SessionsQuery]):
    offer = own_offer(request, offer_id)
    sessions = Session.objects.filter(offer=offer)
    if query.status:
        sessions = sessions.filter(is_active=query.status == "open")
    if query.start_after:
        sessions = sessions.filter(start_date__gte=query.start_after)
    items, cursor, count = paginate(sessions, query)
    return {"count": count, "next_cursor": cursor, "results": [_session_json(s) for s in items]}


@router.post(
    "/organisation/offers/{offer_id}/sessions",
    response={201: OrgSessionOut, **WRITE},
    summary="Add a session",
    operation_id="opencpf_api_organisation_create_session",
)
def create_session(request, offer_id: Id, payload: SessionIn):
    own_offer(request, offer_id)
    session = act(
        lambda: services.session_create(
            actor=request.auth,
            offer_id=offer_id,
            start_date=payload.start_date,
            end_date=payload.end_date,
            is_remote=payload.remote,
            postal_code=payload.postal_code,
            city=payload.city,
            seats=payload.seats,
            ip=client_ip(request),
        )
    )
    return Status(201, _session_json(session))


@router.patch(
    "/organisation/sessions/{session_id}",
    response={200: OrgSessionOut, **WRITE},
    summary="Edit a session",
    operation_id="opencpf_api_organisation_update_session",
)
def update_session(request, session_id: Id, payload: SessionPatch):
    _own_session(request, session_id)
    fields = payload.dict(exclude_unset=True)
    if "remote" in fields:
        fields["is_remote"] = fields.pop("remote")
    nullable = {"seats"}
    if any(value is None for name, value in fields.items() if name not in nullable):
        raise ApiError(400, {n: [_("This field cannot be empty.")] for n, v in fields.items() if v is None})
    session = act(
        lambda: services.session_update(actor=request.auth, session_id=session_id, ip=client_ip(request), **fields)
    )
    return _session_json(session)


@router.post(
    "/organisation/sessions/{session_id}/close",
    response={200: OrgSessionOut, **WRITE},
    summary="Close a session",
    operation_id="opencpf_api_organisation_close_session",
)
def close_session(request, session_id: Id):
    _own_session(request, session_id)
    session = act(lambda: services.session_close(actor=request.auth, session_id=session_id, ip=client_ip(request)))
    return _session_json(session)
