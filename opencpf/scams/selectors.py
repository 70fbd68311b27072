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


def reports_for_agent(report_ids: list[int]) -> list[Report]:
    """These reports with their files, messages and evidence, in the order given (a few queries, not one per row)."""
    found = {r.pk: r for r in _with_details(Report.objects.filter(pk__in=report_ids))}
    return [found[pk] for pk in report_ids if pk in found]


def report_for_agent(report_id: int) -> Report | None:
    return _with_details(Report.objects.select_related("holder__user").filter(pk=report_id)).first()


def holder_reports(holder: Holder) -> QuerySet[Report]:
    return Report.objects.filter(holder=holder).order_by("-created_at")


def active_sanctions(organisation_id: int) -> QuerySet[Sanction]:
    return Sanction.objects.filter(organisation_id=organisation_id, lifted_at__isnull=True).order_by("-started_at")


def holders_matching(query: str, limit: int = 50) -> tuple[str, list[Holder]]:
    """(kind of query, holders) for a NIR, an email or a name."""
    from opencpf.accounts.nir import normalize_nir

    query = (query or "").replace("\x00", "").strip()[:200]
    if not query:
        return "", []
    holders = Holder.objects.select_related("user")
    compact = normalize_nir(query)
    if "@" in query:
        kind, holders = "email", holders.filter(user__email__iexact=query)
    elif len(compact) >= 13 and compact[:1].isdigit():
        kind, holders = "nir", holders.filter(nir__startswith=compact[:15])
    else:
        kind = "name"
        for word in query.split()[:4]:
            holders = holders.filter(Q(last_name__icontains=word) | Q(first_names__icontains=word))
    return kind, list(holders.order_by("last_name", "first_names", "pk")[:limit])


def contact_changes(user: User, limit: int = 20):
    from opencpf.accounts.models import AuditEvent

    targets = [f"user:{user.pk}"] + ([f"holder:{user.holder.pk}"] if hasattr(user, "holder") else [])
    return list(
        AuditEvent.objects.filter(
            target__in=targets, action__in=["email_changed", "phone_changed", "holder_updated", "password_reset"]
        ).order_by("-at")[:limit]
    )


def audit_events(*, organisation_id: int | None = None, holder_id: int | None = None, limit: int | None = 500):
    """Audit rows about an organisation or a holder (their account, files and reports), newest first."""
    from opencpf.accounts.models import AuditEvent
    from opencpf.dossiers.models import Dossier

    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if organisation_id:
        report_targets = [
            f"report:{pk}"
            for pk in Report.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
        ]
        events = events.filter(Q(target=f"organisation:{organisation_id}") | Q(target__in=report_targets))
    elif holder_id:
        holder = Holder.objects.filter(pk=holder_id).first()
        if holder is None:
            return AuditEvent.objects.none()
        targets = [f"holder:{holder.pk}", f"user:{holder.user_id}"]
        targets += [f"report:{pk}" for pk in Report.objects.filter(holder=holder).values_list("pk", flat=True)]
        targets += [f"dossier:{pk}" for pk in Dossier.objects.filter(holder=holder).values_list("pk", flat=True)]
        events = events.filter(target__in=targets)
    return events[:limit] if limit else events
