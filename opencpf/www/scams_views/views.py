"""Scam reports on the web, for holders: the form (signed in, or with NIR + birth date + email), the receipt with
the precautions, the report's page, and the precautions page. Writes go through `opencpf.scams.services`."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opencpf.dossiers.enums import TERMINAL_STATES
from opencpf.dossiers.selectors import dossiers_of_holder
from opencpf.scams import selectors
from opencpf.scams.evidence import EvidenceError
from opencpf.scams.notifications import follow_token
from opencpf.scams.services.reports import Identity, ReportError, report_file
from opencpf.scams.services.review import report_answer
from opencpf.utils.client import client_ip
from opencpf.www.scams_views.forms import AnonymousReportForm, AnswerForm, ReportForm

FILED_SESSION_KEY = "opencpf_scam_report_filed"
CONTACT = {"info_fraud_phone": "0 805 805 817"}  # the Ministry of the Interior's advice line (not a legal value)


def _dossier_choices(user) -> list[tuple[str, str]] | None:
    if not (user.is_authenticated and user.is_holder and hasattr(user, "holder")):
        return None
    choices = []
    for d in dossiers_of_holder(user).select_related("organisation").order_by("-submitted_at")[:50]:
        label = f"n° {d.pk} — {d.offer_title} — {d.organisation.name} ({d.get_state_display()})"
        if d.state in TERMINAL_STATES:
            label += " — " + _("closed")
        choices.append((str(d.pk), label))
    return choices


@require_http_methods(["GET", "POST"])
def report(request):
    user = request.user
    signed_in = user.is_authenticated
    if signed_in and not (user.is_holder and hasattr(user, "holder")):
        raise Http404
    form_class = ReportForm if signed_in else AnonymousReportForm
    initial = {}
    if dossier := request.GET.get("dossier", ""):
        initial = {"dossiers": [dossier], "situation": "registered_without_consent"}
    form = form_class(
        data=request.POST or None,
        files=request.FILES or None,
        dossier_choices=_dossier_choices(user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = None
        if not signed_in:
            identity = Identity(nir=data["nir"], birth_date=data["birth_date"], email=data["email"])
        try:
            filed = report_file(
                user=user if signed_in else None,
                identity=identity,
                situation=data["situation"],
                description=data["description"],
                dossier_ids=data.get("dossiers") or [],
                organisation=data.get("organisation", ""),
                caller_phone=data.get("caller_phone", ""),
                lock_account=data.get("lock_account", False),
                uploads=data.get("evidence") or [],
                ip=client_ip(request),
                language=get_language(),
            )
        except EvidenceError as error:
            form.add_error("evidence", error.message)
        except ReportError as error:
            if error.status == 404:
                raise Http404
            for field, errors in error.errors.items():
                for message in errors:
                    form.add_error(None if field not in form.fields else field, message)
        else:
            if filed.report.lock_account and signed_in:
                # The lock ended every session, this one included: sign this browser out, keep the receipt.
                logout(request)
            request.session[FILED_SESSION_KEY] = filed.report.pk
            return redirect("scams:filed")
    status = 400 if request.method == "POST" and form.errors else 200
    context = {
        "form": form,
        "signed_in": signed_in,
        "page_title": _("Report a scam"),
        **CONTACT,
    }
    return render(request, "scams/report.html", context, status=status)


def filed(request):
    """The receipt, shown once to the browser that filed the report, with the precautions."""
    report_id = request.session.get(FILED_SESSION_KEY)
    report = selectors.report_for_agent(report_id) if report_id else None
    if report is None:
        return redirect("scams:report")
    context = {
        "report": report,
        "follow_url": reverse("scams:status", args=[report.reference])
        if report.filed_signed_in
        else reverse("scams:follow", args=[follow_token(report)]),
        "page_title": _("Your report is received"),
        **CONTACT,
    }
    return render(request, "scams/filed.html", context)


def _report_page(request, report, *, answer_url: str):
    form = AnswerForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_answer(
                report_id=report.pk, body=form.cleaned_data["body"], user=request.user, ip=client_ip(request)
            )
        except ReportError as error:
            for field, errors in error.errors.items():
                for message in errors:
                    form.add_error("body" if field == "body" else None, message)
        else:
            messages.success(request, _("Your message is added to the report."))
            return redirect(answer_url)
    context = {
        "report": report,
        "form": form,
        "can_answer": report.is_open,
        "page_title": _("Scam report %(reference)s") % {"reference": report.reference},
        **CONTACT,
    }
    return render(request, "scams/status.html", context)


@require_http_methods(["GET", "POST"])
def status(request, reference: str):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    report = selectors.report_of_author(request.user, reference=reference[:20])
    if report is None:
        raise Http404
    return _report_page(request, report, answer_url=request.path)


@require_http_methods(["GET", "POST"])
def follow(request, token: str):
    report = selectors.report_by_follow_token(token)
    if report is None:
        raise Http404
    return _report_page(request, report, answer_url=request.path)


def precautions(request):
    return render(request, "scams/precautions.html", {"page_title": _("Scams: what to do"), **CONTACT})
