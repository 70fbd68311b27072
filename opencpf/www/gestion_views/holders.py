"""Holders: search by NIR, name or email; the account, ledger, files, reports and sign-ins; lock or unlock.
Every search and every look is audited."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts.nir import mask_nir
from opencpf.accounts.selectors import sign_in_history
from opencpf.dossiers.selectors import dossiers_of_holder
from opencpf.rights.selectors.balances import rights_balance
from opencpf.rights.selectors.history import rights_history
from opencpf.scams import selectors
from opencpf.scams.services import oversight
from opencpf.scams.services.reports import ReportError
from opencpf.utils.client import client_ip
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.common import breadcrumb, refused
from opencpf.www.gestion_views.forms import HolderSearchForm, LockForm


@agent_required
def search(request):
    form = HolderSearchForm(data=request.GET or None)
    results = []
    if request.GET and form.is_valid():
        kind, results = selectors.holders_matching(form.cleaned_data["q"])
        oversight.holders_search_audit(
            agent=request.user, query_kind=kind, holder_ids=[h.pk for h in results], ip=client_ip(request)
        )
    context = {
        "form": form,
        "results": [(h, mask_nir(h.nir)) for h in results],
        "searched": bool(request.GET),
        "page_title": _("Holders"),
        "breadcrumb": breadcrumb(),
    }
    return render(request, "gestion/holders.html", context)


@agent_required
def holder(request, holder_id: int):
    try:
        found = oversight.holder_look(agent=request.user, holder_id=holder_id, what="account", ip=client_ip(request))
    except ReportError:
        raise Http404
    context = {
        "holder": found,
        "nir": mask_nir(found.nir),
        "balance": rights_balance(found),
        "history": rights_history(found)[:50],
        "dossiers": dossiers_of_holder(found.user).select_related("organisation").order_by("-submitted_at")[:50],
        "reports": selectors.holder_reports(found)[:50],
        "sign_ins": sign_in_history(found.user, limit=30),
        "contact_changes": selectors.contact_changes(found.user),
        "lock_form": LockForm(),
        "page_title": found.full_name,
        "breadcrumb": breadcrumb({"url": reverse("gestion:holders"), "title": _("Holders")}),
    }
    return render(request, "gestion/holder.html", context)


@agent_required
@require_POST
def lock(request, holder_id: int):
    return _lock_or_unlock(request, holder_id, oversight.holder_lock, _("The account is locked."))


@agent_required
@require_POST
def unlock(request, holder_id: int):
    return _lock_or_unlock(request, holder_id, oversight.holder_unlock, _("The account is unlocked."))


def _lock_or_unlock(request, holder_id: int, call, success: str):
    form = LockForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
        return redirect("gestion:holder", holder_id)
    try:
        call(agent=request.user, holder_id=holder_id, reason=form.cleaned_data["reason"], ip=client_ip(request))
    except ReportError as error:
        refused(request, error)
    else:
        messages.success(request, success)
    return redirect("gestion:holder", holder_id)
