"""The audit trail, read by organisation or by holder, and exported as CSV (the export itself is audited)."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.services import audit as audit_write
from opencpf.scams import selectors
from opencpf.utils.client import client_ip
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.common import breadcrumb
from opencpf.www.gestion_views.forms import AuditFilterForm


def _filters(request) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(data=request.GET or None)
    data = form.cleaned_data if request.GET and form.is_valid() else {}
    return form, {"organisation_id": data.get("organisation"), "holder_id": data.get("holder")}


@agent_required
def audit(request):
    form, filters = _filters(request)
    if filters["holder_id"]:
        audit_write(
            actor=request.user,
            action="holder_viewed",
            target=f"holder:{filters['holder_id']}",
            ip=client_ip(request),
            what="audit",
        )
    context = {
        "form": form,
        "events": selectors.audit_events(**filters, limit=200),
        "query": request.GET.urlencode(),
        "page_title": _("Audit"),
        "breadcrumb": breadcrumb(),
    }
    return render(request, "gestion/audit.html", context)


def _safe(value) -> str:
    """Spreadsheets run cells starting with = + - @: neutralise them."""
    text = str(value if value is not None else "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@agent_required
def audit_csv(request):
    _form, filters = _filters(request)
    audit_write(
        actor=request.user,
        action="audit_exported",
        target="audit",
        ip=client_ip(request),
        organisation=filters["organisation_id"],
        holder=filters["holder_id"],
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(["at", "actor", "action", "target", "ip_address", "details"])
    for event in selectors.audit_events(**filters, limit=None).iterator():
        writer.writerow(
            [
                _safe(v)
                for v in (
                    event.at.isoformat(),
                    event.actor.email if event.actor else "",
                    event.action,
                    event.target,
                    event.ip_address or "",
                    event.details,
                )
            ]
        )
    return response
