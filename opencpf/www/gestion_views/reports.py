"""The report queue and a report's page: evidence (agents only), the holder's files, sign-ins and recent changes of
contact details; actions confirm, reject, ask for information. Writes go through `opencpf.scams.services`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts.selectors import sign_in_history
from opencpf.dossiers.selectors import dossiers_of_holder
from opencpf.scams import selectors
from opencpf.scams.services import oversight, review
from opencpf.scams.services.reports import ReportError
from opencpf.utils.client import client_ip
from opencpf.www.downloads import uploaded_file_response
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.common import breadcrumb, refused
from opencpf.www.gestion_views.forms import ConfirmForm, QuestionForm, QueueFilterForm, RejectForm

PAGE = 100


@agent_required
def queue(request):
    form = QueueFilterForm(data=request.GET or {"status": "open"})
    filters = form.cleaned_data if form.is_valid() else {"status": "open"}
    reports = selectors.report_queue(
        status=filters.get("status") or "",
        situation=filters.get("situation") or "",
        organisation_id=filters.get("organisation"),
    )[:PAGE]
    context = {
        "form": form,
        "reports": reports,
        "page_title": _("Scam reports"),
        "breadcrumb": breadcrumb(),
    }
    return render(request, "gestion/reports.html", context)


@agent_required
def detail(request, report_id: int):
    report = selectors.report_for_agent(report_id)
    if report is None:
        raise Http404
    holder = report.holder
    context = {
        "report": report,
        "question_form": QuestionForm(),
        "confirm_form": ConfirmForm(),
        "reject_form": RejectForm(),
        "page_title": _("Report %(reference)s") % {"reference": report.reference},
        "breadcrumb": breadcrumb({"url": reverse("gestion:reports"), "title": _("Scam reports")}),
    }
    if holder is not None:
        oversight.holder_look(
            agent=request.user, holder_id=holder.pk, what=f"report:{report.pk}", ip=client_ip(request)
        )
        context.update(
            dossiers=dossiers_of_holder(holder.user).select_related("organisation").order_by("-submitted_at")[:50],
            sign_ins=sign_in_history(holder.user, limit=20),
            contact_changes=selectors.contact_changes(holder.user),
        )
    return render(request, "gestion/report.html", context)


def _act(request, report_id: int, form_class, call, success: str):
    form = form_class(data=request.POST)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ReportError as error:
            refused(request, error)
        else:
            messages.success(request, success)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("gestion:report", report_id)


@agent_required
@require_POST
def start_review(request, report_id: int):
    try:
        review.report_review_start(report_id=report_id, agent=request.user, ip=client_ip(request))
    except ReportError as error:
        refused(request, error)
    return redirect("gestion:report", report_id)


@agent_required
@require_POST
def ask_info(request, report_id: int):
    return _act(
        request,
        report_id,
        QuestionForm,
        lambda data: review.report_ask_info(
            report_id=report_id, agent=request.user, question=data["question"], ip=client_ip(request)
        ),
        _("The question was sent to the holder."),
    )


@agent_required
@require_POST
def confirm(request, report_id: int):
    return _act(
        request,
        report_id,
        ConfirmForm,
        lambda data: review.report_confirm(
            report_id=report_id, agent=request.user, note=data["note"], ip=client_ip(request)
        ),
        _("Scam confirmed: the frozen files are cancelled and the money restored."),
    )


@agent_required
@require_POST
def reject(request, report_id: int):
    return _act(
        request,
        report_id,
        RejectForm,
        lambda data: review.report_reject(
            report_id=report_id, agent=request.user, reason=data["reason"], ip=client_ip(request)
        ),
        _("Report rejected: the files are released and their deadlines shifted."),
    )


@agent_required
def evidence(request, report_id: int, evidence_id: int):
    try:
        item = oversight.evidence_open(agent=request.user, evidence_id=evidence_id, ip=client_ip(request))
    except ReportError:
        raise Http404
    if item.report_id != report_id:
        raise Http404
    return uploaded_file_response(item.storage_name, filename=item.original_name, content_type=item.content_type)
