"""The organisation's work list of training files (web and API alike): files by state with the deadline that
governs each, filtered (state, offer, session, start dates, deadline), searched (holder's name or file number),
nearest deadline first, closed files last. Least privilege: only members holding the files-manager or the reader
role of the organisation read it (an API key reaches it only with the `files` scope, which gives the first)."""

import dataclasses
import datetime

from django.db.models import Case, Count, DateField, F, Q, QuerySet, When
from django.db.models.functions import Coalesce

from opencpf.accounts.enums import Role
from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import OrganisationMemberRole
from opencpf.dossiers.enums import DEADLINES, DossierState
from opencpf.dossiers.models import Dossier

# The roles that read the organisation's files: holders' names and their training are not for every staff member.
FILE_READING_ROLES = frozenset({OrganisationRole.FILES_MANAGER, OrganisationRole.READER})

# One word of a search longer than this is not a name: refused by the forms and the API alike.
MAX_QUERY_LENGTH = 100


def organisations_reading_files(user) -> list[int]:
    """The organisations whose files `user` may list (one query, kept on the user object for the request)."""
    if user is None or not user.is_authenticated or user.role != Role.ORGANISATION_STAFF:
        return []
    if (ids := user.__dict__.get("_file_reading_organisations")) is None:
        ids = user.__dict__["_file_reading_organisations"] = sorted(
            set(
                OrganisationMemberRole.objects.filter(member__user=user, role__in=FILE_READING_ROLES).values_list(
                    "member__organisation_id", flat=True
                )
            )
        )
    return ids


@dataclasses.dataclass(frozen=True)
class WorklistFilters:
    organisation_id: int | None = None
    state: DossierState | None = None
    offer_id: int | None = None
    session_id: int | None = None
    start_after: datetime.date | None = None  # the training starts on or after
    start_before: datetime.date | None = None  # … on or before
    deadline_before: datetime.date | None = None  # the governing deadline falls on or before
    q: str = ""  # holder's name, or the file number


# The deadline that governs each state (None once closed), as a column: the list sorts and filters on it.
DEADLINE = Case(
    *(When(state=state, then=F(field)) for state, field in DEADLINES.items()),
    default=None,
    output_field=DateField(),
)
START = Coalesce(F("proposal_start"), F("session__start_date"))


def _search(q: str) -> Q:
    words = q.split()
    if len(words) == 1 and words[0].removeprefix("n°").removeprefix("no.").isdigit():
        number = int(words[0].removeprefix("n°").removeprefix("no."))
        return Q(pk=number) if number < 2**63 else Q(pk__in=[])
    condition = Q()
    for word in words:
        condition &= Q(holder__last_name__icontains=word) | Q(holder__first_names__icontains=word)
    return condition


def organisation_worklist(user, filters: WorklistFilters) -> QuerySet[Dossier]:
    """The files `user` may read, filtered, each with `deadline` (None when closed) and `start`; nearest deadline
    first, then the closed ones newest first. Order: (`deadline` nulls last, `-id`), the API's cursor keys."""
    ids = organisations_reading_files(user)
    if filters.organisation_id is not None:
        ids = [i for i in ids if i == filters.organisation_id]
    dossiers = Dossier.objects.filter(organisation_id__in=ids).annotate(deadline=DEADLINE, start_on=START)
    if filters.state:
        dossiers = dossiers.filter(state=filters.state)
    if filters.offer_id:
        dossiers = dossiers.filter(offer_id=filters.offer_id)
    if filters.session_id:
        dossiers = dossiers.filter(session_id=filters.session_id)
    if filters.start_after:
        dossiers = dossiers.filter(start_on__gte=filters.start_after)
    if filters.start_before:
        dossiers = dossiers.filter(start_on__lte=filters.start_before)
    if filters.deadline_before:
        dossiers = dossiers.filter(deadline__lte=filters.deadline_before)
    if filters.q.strip():
        dossiers = dossiers.filter(_search(filters.q))
    return dossiers.select_related("holder", "organisation", "offer", "session").order_by(
        F("deadline").asc(nulls_last=True), "-id"
    )


def after(dossiers: QuerySet[Dossier], deadline: datetime.date | None, last_id: int) -> QuerySet[Dossier]:
    """The rows that come after (`deadline`, `last_id`) in the work list's order: the API's cursor."""
    if deadline is None:
        return dossiers.filter(deadline__isnull=True, id__lt=last_id)
    return dossiers.filter(Q(deadline__gt=deadline) | Q(deadline=deadline, id__lt=last_id) | Q(deadline__isnull=True))


def state_counts(user, organisation_id: int | None = None) -> dict[str, int]:
    """How many files of each state the user's organisations have (one grouped query), for the filters."""
    ids = organisations_reading_files(user)
    if organisation_id is not None:
        ids = [i for i in ids if i == organisation_id]
    rows = Dossier.objects.filter(organisation_id__in=ids).values("state").annotate(n=Count("id")).order_by()
    return {row["state"]: row["n"] for row in rows}
