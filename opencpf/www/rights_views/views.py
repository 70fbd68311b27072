from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import HolderStatus
from opencpf.rights import rules
from opencpf.rights.selectors.balances import rights_balance
from opencpf.rights.selectors.explanations import render_lines
from opencpf.rights.selectors.history import rights_history
from opencpf.rights.selectors.outlook import credit_simulate
from opencpf.www.rights_views.forms import SimulateForm


def _holder(request):
    holder = getattr(request.user, "holder", None) if request.user.is_holder else None
    if holder is None:
        raise PermissionDenied(_("This page is for account holders."))
    return holder


@login_required
def my_rights(request):
    holder = _holder(request)
    balance = rights_balance(holder)
    return render(
        request,
        "rights/my_rights.html",
        {
            "page_title": _("My rights"),
            "balance": balance,
            "history": rights_history(holder),
            "cap_used_percent": int(min(100, balance.acquired * 100 / balance.cap)) if balance.cap else 0,
        },
    )


def simulate(request):
    holder = (
        getattr(request.user, "holder", None) if request.user.is_authenticated and request.user.is_holder else None
    )
    submitted = "status" in request.GET
    initial = {
        "year": timezone.localdate().year,
        "reference_hours": rules.YearParameters.for_year(timezone.localdate().year).reference_hours,
        "status": HolderStatus.EMPLOYEE,
    }
    if holder is not None:
        initial.update(
            status=holder.status,
            low_qualified=holder.low_qualified,
            disabled_worker=holder.disabled_worker,
            balance=rights_balance(holder).acquired,
        )
    form = SimulateForm(data=request.GET if submitted else None, initial=initial)
    result = lines = None
    if submitted and form.is_valid():
        data = form.cleaned_data
        result = credit_simulate(
            year=data["year"],
            status=data["status"],
            hours_worked=data["hours_worked"],
            reference_hours=data["reference_hours"],
            months_active=data["months_active"],
            low_qualified=data["low_qualified"],
            disabled_worker=data["disabled_worker"],
            balance=data["balance"],
        )
        lines = render_lines(result.lines)
    breadcrumb = [{"url": reverse("rights:my_rights"), "title": _("My rights")}] if holder else []
    return render(
        request,
        "rights/simulate.html",
        {
            "page_title": _("Simulate my rights"),
            "form": form,
            "result": result,
            "lines": lines,
            "breadcrumb": breadcrumb,
        },
    )
