from django.shortcuts import render
from django.utils.translation import gettext as _

from opencpf.accounts.agents import can_manage_agents
from opencpf.scams import selectors
from opencpf.www.gestion_views.access import agent_required


@agent_required
def home(request):
    context = {
        "open_reports": selectors.report_queue(status="open").count(),
        "new_reports": selectors.report_queue(status="new").count(),
        "can_manage_agents": can_manage_agents(request.user),
        "page_title": _("Back office"),
    }
    return render(request, "gestion/home.html", context)
