"""What happens to a report after it is filed: the agent reviews it, asks for more information, confirms or
rejects it; the reporter answers. Each step is audited and emailed to the reporter."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts import services as accounts
from opencpf.accounts.models import User
from opencpf.scams.enums import OPEN_REPORT_STATUSES, MessageAuthor, ReportStatus
from opencpf.scams.models import Report, ReportMessage
from opencpf.scams.notifications import notify_reporter
from opencpf.scams.services.reports import MAX_DESCRIPTION, ReportError


def _locked(report_id: int) -> Report:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise ReportError(_("This report does not exist."), status=404, code="not_found")
    return report


def _agent(user: User) -> None:
    if user is None or not user.is_authenticated or not user.is_agent or not user.is_active:
        raise ReportError(_("Only an agent of the Caisse des Dépôts can do this."), status=403, code="forbidden")


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ReportError({field: [_("This field is required.")]})
    if len(value) > MAX_DESCRIPTION:
        raise ReportError({field: [_("At most %(count)s characters.") % {"count": MAX_DESCRIPTION}]})
    return value


def _still_open(report: Report) -> None:
    if report.status not in OPEN_REPORT_STATUSES:
        raise ReportError(
            _("This report was already decided (%(status)s).") % {"status": report.get_status_display()},
            status=409,
            code="already_decided",
        )


def _set_status(report: Report, status: ReportStatus, now: datetime.datetime, **fields) -> None:
    report.status = status
    report.updated_at = now
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=["status", "updated_at", *fields])


@transaction.atomic
def report_answer(*, report_id: int, body: str, user: User | None = None, ip: str | None = None) -> Report:
    """The reporter answers (or adds to) their open report; a report waiting for information goes back to review."""
    report = _locked(report_id)
    _still_open(report)
    body = _text(body, "body")
    now = timezone.now()
    ReportMessage.objects.create(
        report=report,
        author_kind=MessageAuthor.HOLDER,
        author=user if user and user.is_authenticated else None,
        body=body,
        at=now,
    )
    if report.status == ReportStatus.INFO_REQUESTED:
        _set_status(report, ReportStatus.UNDER_REVIEW, now)
    accounts.audit(
        actor=user if user and user.is_authenticated else None,
        action="scam_report_answered",
        target=f"report:{report.pk}",
        ip=ip,
    )
    return report


@transaction.atomic
def report_review_start(*, report_id: int, agent: User, ip: str | None = None) -> Report:
    _agent(agent)
    report = _locked(report_id)
    _still_open(report)
    if report.status == ReportStatus.NEW:
        _set_status(report, ReportStatus.UNDER_REVIEW, timezone.now())
        accounts.audit(actor=agent, action="scam_report_review_started", target=f"report:{report.pk}", ip=ip)
        notify_reporter(report, "under_review")
    return report


@transaction.atomic
def report_ask_info(*, report_id: int, agent: User, question: str, ip: str | None = None) -> Report:
    _agent(agent)
    report = _locked(report_id)
    _still_open(report)
    question = _text(question, "question")
    now = timezone.now()
    ReportMessage.objects.create(report=report, author_kind=MessageAuthor.AGENT, author=agent, body=question, at=now)
    _set_status(report, ReportStatus.INFO_REQUESTED, now)
    accounts.audit(actor=agent, action="scam_report_info_requested", target=f"report:{report.pk}", ip=ip)
    notify_reporter(report, "info_requested", message=question)
    return report
