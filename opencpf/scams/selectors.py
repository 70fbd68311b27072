"""Reads of scam reports for holders, agents and the API."""

from django.db.models import Count, Prefetch, Q, QuerySet

from opencpf.accounts.models import Holder, User
from opencpf.scams.enums import FreezeOutcome, ReportStatus
from opencpf.scams.models import Freeze, Report, ReportMessage, Sanction
from opencpf.scams.notifications import report_id_from_follow_token


def reports_of_user(user: User) -> QuerySet[Report]:
    holder = getattr(user, "holder", None) if user.is_authenticated and user.is_holder else None
    if holder is None:
        return Report.objects.none()
    return Report.objects.filter(holder=holder).order_by("-created_at")


def report_of_author(user: User, *, reference: str | None = None, report_id: int | None = None) -> Report | None:
    """A report its signed-in author may read (by reference on the web, by id on the API), else None."""
    reports = reports_of_user(user).filter(filed_signed_in=True)
    if reference is not None:
        reports = reports.filter(reference=reference)
    if report_id is not None:
        reports = reports.filter(pk=report_id)
    return _with_details(reports).first()


def report_by_follow_token(token: str) -> Report | None:
    found = report_id_from_follow_token(token or "") if len(token or "") < 500 else None
    if found is None:
        return None
    report_id, reference = found
    return _with_details(Report.objects.filter(pk=report_id, reference=reference)).first()


def _with_details(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("organisation", "attached_to").prefetch_related(
        Prefetch("freezes", queryset=Freeze.objects.select_related("dossier").order_by("dossier_id")),
        Prefetch("messages", queryset=ReportMessage.objects.order_by("at", "id")),
        "evidence",
    )


def frozen_dossier_ids(report: Report) -> list[int]:
    return [f.dossier_id for f in report.freezes.all() if f.outcome == FreezeOutcome.ACTIVE]


def active_freeze_reports(dossier_ids) -> dict[int, str]:
    """{dossier id: reference of the report freezing it} for the files given."""
    return dict(
        Freeze.objects.filter(dossier_id__in=list(dossier_ids), outcome=FreezeOutcome.ACTIVE).values_list(
            "dossier_id", "report__reference"
        )
    )


# --- agents ----------------------------------------------------------------------------------------------------


def report_queue(*, status: str = "", situation: str = "", organisation_id: int | None = None) -> QuerySet[Report]:
    reports = Report.objects.select_related("holder__user", "organisation").annotate(
        frozen_count=Count("freezes", filter=Q(freezes__outcome=FreezeOutcome.ACTIVE))
    )
    if status == "open":
        reports = reports.filter(status__in=[ReportStatus.NEW, ReportStatus.UNDER_REVIEW, ReportStatus.INFO_REQUESTED])
    elif status == "decided":
        reports = reports.filter(status__in=[ReportStatus.CONFIRMED, ReportStatus.REJECTED])
    elif status in ReportStatus.values:
        reports = reports.filter(status=status)
    if situation:
        reports = reports.filter(situation=situation)
    if organisation_id:
        reports = reports.filter(organisation_id=organisation_id)
    return reports.order_by("-created_at", "-id")


def report_for_agent(report_id: int) -> Report | None:
    return _with_details(Report.objects.select_related("holder__user").filter(pk=report_id)).first()


def holder_reports(holder: Holder) -> QuerySet[Report]:
    return Report.objects.filter(holder=holder).order_by("-created_at")


def active_sanctions(organisation_id: int) -> QuerySet[Sanction]:
    return Sanction.objects.filter(organisation_id=organisation_id, lifted_at__isnull=True).order_by("-started_at")
