"""The identity checks queue (oldest first, with the review target of `identity/review_target_hours`), a check's
page with its document (agents only, audited), approve and reject. Writes in `opencpf.identity.services`."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts.services import audit
from opencpf.identity import access, selectors, services, situations
from opencpf.identity.enums import AccessRequestStatus, CheckStatus
from opencpf.identity.models import AccessRequest, IdentityCheck, StatusProof
from opencpf.www.downloads import uploaded_file_response
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.common import breadcrumb, ip
from opencpf.www.gestion_views.forms import GrantForm, RejectForm

PAGE = 100


def _due(check: IdentityCheck, hours: int) -> datetime.datetime:
    return check.created_at + datetime.timedelta(hours=hours)


@agent_required
def queue(request):
    hours = services.review_target_hours()
    now = timezone.now()
    checks = [
        {"check": check, "due": _due(check, hours), "late": _due(check, hours) < now}
        for check in selectors.identity_checks_pending()[:PAGE]
    ]
    context = {"rows": checks, "hours": hours, "page_title": _("Identity checks"), "breadcrumb": breadcrumb()}
    return render(request, "gestion/identity_checks.html", context)


@agent_required
def detail(request, check_id: int):
    check = IdentityCheck.objects.select_related("holder__user", "decided_by").filter(pk=check_id).first()
    if check is None:
        raise Http404
    hours = services.review_target_hours()
    context = {
        "check": check,
        "due": _due(check, hours),
        "hours": hours,
        "reject_form": RejectForm(),
        "page_title": _("Identity check %(reference)s") % {"reference": check.reference},
        "breadcrumb": breadcrumb({"url": reverse("gestion:identity_checks"), "title": _("Identity checks")}),
    }
    return render(request, "gestion/identity_check.html", context)


def _act(request, check_id: int, call, success: str):
    try:
        call()
    except services.IdentityCheckError as error:
        if error.status == 404:
            raise Http404
        for errors in error.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("gestion:identity_check", check_id)


@agent_required
@require_POST
def approve(request, check_id: int):
    return _act(
        request,
        check_id,
        lambda: services.identity_check_approve(check_id=check_id, agent=request.user, ip=ip(request)),
        _("Identity check approved: the holder was told by email."),
    )


@agent_required
@require_POST
def reject(request, check_id: int):
    form = RejectForm(data=request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("gestion:identity_check", check_id)
    return _act(
        request,
        check_id,
        lambda: services.identity_check_reject(
            check_id=check_id, agent=request.user, reason=form.cleaned_data["reason"], ip=ip(request)
        ),
        _("Identity check rejected: the requester was told by email."),
    )


@agent_required
def document(request, check_id: int):
    check = IdentityCheck.objects.filter(pk=check_id).exclude(document_storage_name="").first()
    if check is None:
        raise Http404
    audit(actor=request.user, action="identity_document_opened", target=f"identity_check:{check.pk}", ip=ip(request))
    extension = check.document_storage_name.rsplit(".", 1)[-1]
    return uploaded_file_response(
        check.document_storage_name,
        filename=f"{check.reference}.{extension}",
        content_type=check.document_content_type,
    )


# --- proofs of situations that move money ----------------------------------------------------------------------


@agent_required
def proofs(request):
    pending = (
        StatusProof.objects.filter(status=CheckStatus.PENDING).select_related("holder").order_by("created_at")[:PAGE]
    )
    context = {
        "proofs": pending,
        "reject_form": RejectForm(),
        "page_title": _("Situations to confirm"),
        "breadcrumb": breadcrumb(),
    }
    return render(request, "gestion/status_proofs.html", context)


def _proof_act(request, call, success: str):
    try:
        call()
    except services.IdentityCheckError as error:
        if error.status == 404:
            raise Http404
        for errors in error.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("gestion:status_proofs")


@agent_required
@require_POST
def proof_approve(request, proof_id: int):
    return _proof_act(
        request,
        lambda: situations.status_proof_approve(proof_id=proof_id, agent=request.user, ip=ip(request)),
        _("Situation confirmed: rights and the contribution take it into account."),
    )


@agent_required
@require_POST
def proof_reject(request, proof_id: int):
    form = RejectForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why, for the holder."))
        return redirect("gestion:status_proofs")
    return _proof_act(
        request,
        lambda: situations.status_proof_reject(
            proof_id=proof_id, agent=request.user, reason=form.cleaned_data["reason"], ip=ip(request)
        ),
        _("Situation refused: the holder was told by email."),
    )


@agent_required
def proof_document(request, proof_id: int):
    proof = StatusProof.objects.filter(pk=proof_id).exclude(document_storage_name="").first()
    if proof is None:
        raise Http404
    audit(actor=request.user, action="status_proof_opened", target=f"status_proof:{proof.pk}", ip=ip(request))
    extension = proof.document_storage_name.rsplit(".", 1)[-1]
    return uploaded_file_response(
        proof.document_storage_name, filename=f"proof-{proof.pk}.{extension}", content_type=proof.document_content_type
    )


# --- personal access from abroad -------------------------------------------------------------------------------


@agent_required
def access_requests(request):
    pending = (
        AccessRequest.objects.filter(status=AccessRequestStatus.PENDING)
        .select_related("holder")
        .order_by("created_at")[:PAGE]
    )
    context = {
        "requests": pending,
        "grant_form": GrantForm(),
        "reject_form": RejectForm(),
        "page_title": _("Access from abroad"),
        "breadcrumb": breadcrumb(),
    }
    return render(request, "gestion/access_requests.html", context)


def _access_act(request, call, success: str):
    try:
        call()
    except services.IdentityCheckError as error:
        if error.status == 404:
            raise Http404
        for errors in error.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("gestion:access_requests")


@agent_required
@require_POST
def access_grant(request, request_id: int):
    form = GrantForm(data=request.POST)
    until = form.cleaned_data.get("until") if form.is_valid() else None
    return _access_act(
        request,
        lambda: access.access_request_grant(request_id=request_id, agent=request.user, until=until, ip=ip(request)),
        _("Personal access granted: the holder was told by email."),
    )


@agent_required
@require_POST
def access_refuse(request, request_id: int):
    form = RejectForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why, for the requester."))
        return redirect("gestion:access_requests")
    return _access_act(
        request,
        lambda: access.access_request_refuse(
            request_id=request_id, agent=request.user, reason=form.cleaned_data["reason"], ip=ip(request)
        ),
        _("Request refused: the requester was told by email."),
    )


@agent_required
def access_proof(request, request_id: int):
    item = AccessRequest.objects.filter(pk=request_id).exclude(proof_storage_name="").first()
    if item is None:
        raise Http404
    audit(actor=request.user, action="access_proof_opened", target=f"access_request:{item.pk}", ip=ip(request))
    extension = item.proof_storage_name.rsplit(".", 1)[-1]
    return uploaded_file_response(
        item.proof_storage_name, filename=f"{item.reference}.{extension}", content_type=item.proof_content_type
    )
