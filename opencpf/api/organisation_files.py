"""The organisation's work list of training files through the API (what /dossiers/organisme/ shows): files by
state with the deadline that governs each, filtered and searched, nearest deadline first, with a cursor. The moves
themselves are `POST /api/v1/dossiers/{id}/<action>`."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from opencpf.api.auth import bearer
from opencpf.api.dossiers.common import dossier_json
from opencpf.api.dossiers.schemas import DossierOut
from opencpf.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode_dated, encode_dated
from opencpf.api.schemas import BAD_INPUT, SIGNED_IN, Detail, Id, IsoDate
from opencpf.dossiers import worklist
from opencpf.dossiers.enums import DossierState

router = Router(tags=["Organisation: training files"], auth=bearer)


class WorklistQuery(Schema):
    cursor: str | None = Field(None, max_length=100, description="`next_cursor` of the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    organisation_id: Id | None = Field(None, description="One of your organisations (default: all of them)")
    state: Literal[tuple(DossierState.values)] | None = Field(None, examples=["submitted"])  # type: ignore[valid-type]
    offer_id: Id | None = None
    session_id: Id | None = None
    start_after: IsoDate | None = Field(None, description="The training starts on or after this day")
    start_before: IsoDate | None = Field(None, description="The training starts on or before this day")
    deadline_before: IsoDate | None = Field(None, description="The file's next deadline falls on or before this day")
    q: str | None = Field(
        None, max_length=worklist.MAX_QUERY_LENGTH, description="The holder's name, or the file number"
    )


class WorklistOut(Schema):
    count: int = Field(description="Files matching the filters, all pages together")
    next_cursor: str | None
    results: list[DossierOut]


@router.get(
    "/organisation/dossiers",
    response={200: WorklistOut, **BAD_INPUT, **SIGNED_IN, 403: Detail},
    summary="Work list: my organisation's training files, nearest deadline first",
    description="Each file shows its state, its `next_deadline` (`respond_before`: answer by; `accept_before`: the "
    "holder accepts by; `declare_entry_before`: entry to declare by; `declare_exit_before`: exit to declare by; "
    "`pay_before`: the platform pays by) and `allowed_actions`. Closed files have no deadline and come last. For "
    "staff holding the files-manager or reader role, and API keys with the `files` scope.",
)
def organisation_worklist(request, query: Query[WorklistQuery]):
    user = request.auth
    readable = worklist.organisations_reading_files(user)
    if not readable or (query.organisation_id is not None and query.organisation_id not in readable):
        raise PermissionDenied(
            _("Reading training files needs the files-manager or the reader role in the organisation.")
        )
    dossiers = worklist.organisation_worklist(
        user,
        worklist.WorklistFilters(
            organisation_id=query.organisation_id,
            state=query.state,
            offer_id=query.offer_id,
            session_id=query.session_id,
            start_after=query.start_after,
            start_before=query.start_before,
            deadline_before=query.deadline_before,
            q=query.q or "",
        ),
    )
    count = dossiers.count()
    page = dossiers
    if query.cursor:
        page = worklist.after(dossiers, *decode_dated(query.cursor))
    items = list(page[: query.limit + 1])
    more = len(items) > query.limit
    items = items[: query.limit]
    return {
        "count": count,
        "next_cursor": encode_dated(items[-1].deadline, items[-1].pk) if more and items else None,
        "results": [dossier_json(d, user) for d in items],
    }
