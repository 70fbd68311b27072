"""What happens to a report after it is filed: the agent reviews it, asks for more information, confirms or
rejects it; the reporter answers. Each step is audited and emailed to the reporter."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts import services as accounts
from opencpf.accounts.models import User
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.freezes import dossier_unfreeze
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.services import DossierError, dossier_cancel_for_fraud, organisation_payment_hold
from opencpf.scams.enums import OPEN_REPORT_STATUSES, FreezeOutcome, MessageAuthor, ReportStatus
from opencpf.scams.models import Freeze, Report, ReportMessage
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
    if not report.is_open:
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
    if report.can_start_review:
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


def _decide(report: Report, status: ReportStatus, agent: User, note: str, now: datetime.datetime) -> None:
    _set_status(report, status, now, decided_at=now, decided_by=agent, decision_note=note)


@transaction.atomic
def report_reject(*, report_id: int, agent: User, reason: str, ip: str | None = None) -> Report:
    """Not a scam: the frozen files go on, their deadlines shifted by the business days they were frozen."""
    _agent(agent)
    report = _locked(report_id)
    _still_open(report)
    reason = _text(reason, "reason")
    now = timezone.now()
    shifted = {}
    for freeze in Freeze.objects.select_for_update().filter(report=report, outcome=FreezeOutcome.ACTIVE):
        days = dossier_unfreeze(dossier_id=freeze.dossier_id, now=now)
        Freeze.objects.filter(pk=freeze.pk).update(outcome=FreezeOutcome.RELEASED, lifted_at=now, shifted_days=days)
        shifted[freeze.dossier_id] = days
    _decide(report, ReportStatus.REJECTED, agent, reason, now)
    _decide_attached(report, ReportStatus.REJECTED, agent, reason, now)
    accounts.audit(actor=agent, action="scam_report_rejected", target=f"report:{report.pk}", ip=ip, shifted=shifted)
    notify_reporter(report, "rejected", message=reason)
    return report


def _decide_attached(report: Report, status: ReportStatus, agent: User, note: str, now: datetime.datetime) -> None:
    """Reports attached to this one (same frozen file) share its decision."""
    for attached in Report.objects.select_for_update().filter(attached_to=report, status__in=OPEN_REPORT_STATUSES):
        _decide(attached, status, agent, note, now)
        notify_reporter(attached, str(status), message=note)


@transaction.atomic
def report_confirm(*, report_id: int, agent: User, note: str = "", ip: str | None = None) -> Report:
    """A scam: every frozen file ends `cancelled_fraud` with every euro back where it came from and card payments
    refunded (the dossiers core does it, the one way money moves); the organisation is flagged (placed under
    observation unless a sanction is already in force)."""
    _agent(agent)
    report = _locked(report_id)
    _still_open(report)
    from opencpf.scams.services.sanctions import sanction_flag

    note = _text(note, "note", required=False)
    now = timezone.now()
    reason = _("Scam confirmed (report %(reference)s).") % {"reference": report.reference}
    cancelled = []
    for freeze in Freeze.objects.select_for_update().filter(report=report, outcome=FreezeOutcome.ACTIVE):
        outcome = FreezeOutcome.CANCELLED
        try:
            if Dossier.objects.filter(pk=freeze.dossier_id, state=DossierState.COMPLETED).exists():
                # Already settled by its completion: the organisation's payment is held for review instead.
                organisation_payment_hold(dossier_id=freeze.dossier_id, user=agent, reason=reason)
                dossier_unfreeze(dossier_id=freeze.dossier_id, now=now)
                outcome = FreezeOutcome.PAYMENT_HELD
            else:
                dossier_cancel_for_fraud(dossier_id=freeze.dossier_id, user=agent, reason=reason, ip=ip, now=now)
        except DossierError as error:
            raise ReportError(error.errors, status=error.status, code=error.code or "not_allowed")
        Freeze.objects.filter(pk=freeze.pk).update(outcome=outcome, lifted_at=now)
        cancelled.append(freeze.dossier_id)
    _decide(report, ReportStatus.CONFIRMED, agent, note, now)
    _decide_attached(report, ReportStatus.CONFIRMED, agent, note, now)
    if report.organisation_id:
        sanction_flag(organisation_id=report.organisation_id, agent=agent, reason=reason, ip=ip)
    accounts.audit(actor=agent, action="scam_report_confirmed", target=f"report:{report.pk}", ip=ip, files=cancelled)
    notify_reporter(report, "confirmed", message=note)
    return report
