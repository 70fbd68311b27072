from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.dossiers.selectors import files_awaiting_holder, state_message
from opencpf.rights.selectors import empty_account_outlook, rights_balance
from opencpf.www.navigation import dashboard_tiles


def home(request):
    return render(request, "pages/home.html", {"page_title": _("Home")})


@login_required
def dashboard(request):
    user = request.user
    context = {"page_title": _("My account"), "dashboard_tiles": dashboard_tiles(user)}
    if user.is_holder and hasattr(user, "holder"):
        today = timezone.localdate()
        balance = rights_balance(user.holder)
        context["balance"] = balance
        # What waits for the holder comes first; an empty account says why and when rights arrive.
        context["to_do"] = [(d, state_message(d, "holder")) for d in files_awaiting_holder(user, today)]
        if not balance.total and not balance.closed_on:
            context["outlook"] = empty_account_outlook(user.holder, today=today)
    return render(request, "pages/dashboard.html", context)


def legal(request):
    return render(request, "pages/legal.html", {"page_title": _("Legal notice"), "breadcrumb": []})


def accessibility(request):
    return render(request, "pages/accessibility.html", {"page_title": _("Accessibility"), "breadcrumb": []})


def privacy(request):
    return render(request, "pages/privacy.html", {"page_title": _("Personal data"), "breadcrumb": []})
