"""Organisations ranked by risk, with their signals, sanctions and the ladder's actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Offer, Organisation
from opencpf.catalogue.selectors import organisations_pending_approval
from opencpf.catalogue.services import organisation_approve
from opencpf.scams import selectors
from opencpf.scams.services import sanctions
from opencpf.scams.services.reports import ReportError
from opencpf.scams.signals import organisation_signals
from opencpf.utils.client import client_ip
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.common import breadcrumb, refused
from opencpf.www.gestion_views.forms import ApproveForm, LiftForm, SanctionForm

PAGE = 100


@agent_required
def organisations(request):
    pending = organisations_pending_approval()
    context = {
        "rows": organisation_signals()[:PAGE],
        "pending": pending[:PAGE],
        "pending_count": pending.count(),
        "page_title": _("Organisations"),
        "breadcrumb": breadcrumb(),
    }
    return render(request, "gestion/organisations.html", context)


def _offer_choices(organisation: Organisation):
    return [
        (str(o.pk), f"{o.title} ({o.pk}){' — ' + _('delisted') if o.delisted_at else ''}")
        for o in Offer.objects.filter(organisation=organisation).order_by("title", "pk")[:500]
    ]


@agent_required
def organisation(request, organisation_id: int):
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise Http404
    form = SanctionForm(data=request.POST or None, offer_choices=_offer_choices(org))
    if request.method == "POST" and form.is_valid():
        try:
            sanctions.sanction_impose(
                organisation_id=org.pk,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                offer_ids=form.cleaned_data.get("offers") or [],
                agent=request.user,
                ip=client_ip(request),
            )
        except ReportError as error:
            refused(request, error, form)
        else:
            messages.success(request, _("Sanction recorded."))
            return redirect("gestion:organisation", org.pk)
    context = {
        "organisation": org,
        "signals": organisation_signals(organisation_ids=[org.pk])[0],
        "sanctions": org.sanctions.select_related("created_by", "lifted_by")
        .prefetch_related("offers")
        .order_by("-started_at"),
        "reports": selectors.report_queue(organisation_id=org.pk)[:50],
        "form": form,
        "lift_form": LiftForm(),
        "approve_form": ApproveForm(),
        "pending_approval": org.status == OrganisationStatus.PENDING,
        "page_title": org.name,
        "breadcrumb": breadcrumb({"url": reverse("gestion:organisations"), "title": _("Organisations")}),
    }
    return render(request, "gestion/organisation.html", context, status=400 if form.errors else 200)


@agent_required
@require_POST
def lift(request, organisation_id: int, sanction_id: int):
    form = LiftForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("gestion:organisation", organisation_id)
    try:
        sanctions.sanction_lift(
            sanction_id=sanction_id, agent=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)
        )
    except ReportError as error:
        refused(request, error)
    else:
        messages.success(request, _("Sanction lifted."))
    return redirect("gestion:organisation", organisation_id)


@agent_required
@require_POST
def approve(request, organisation_id: int):
    """List an organisation pending approval, with its Qualiopi certificate (its offers join search)."""
    form = ApproveForm(data=request.POST)
    if form.is_valid():
        try:
            organisation_approve(
                organisation_id=organisation_id,
                agent=request.user,
                qualiopi_certificate=form.cleaned_data["qualiopi_certificate"],
                qualiopi_expires_on=form.cleaned_data["qualiopi_expires_on"],
                ip=client_ip(request),
            )
        except Organisation.DoesNotExist:
            raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Organisation approved: its offers are in search."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("gestion:organisation", organisation_id)
