"""A person's own help requests ("My help requests"): the list and one request with the agent's answer. Only
their own: another person's reference is a 404, whatever it is (`opencpf.support.selectors.tickets_of`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from opencpf.support.selectors import ticket_of, tickets_of
from opencpf.www.navigation import trail

PAGE = 100


@login_required
def my_tickets(request):
    context = {
        "tickets": tickets_of(request.user)[:PAGE],
        "page_title": _("My help requests"),
        "breadcrumb": trail("support:help"),
    }
    return render(request, "support/my_tickets.html", context)


@login_required
def my_ticket(request, reference: str):
    ticket = ticket_of(request.user, reference[:20])
    if ticket is None:
        raise Http404
    context = {
        "ticket": ticket,
        "page_title": _("Help request %(reference)s") % {"reference": ticket.reference},
        "breadcrumb": trail("support:help", "support:my_tickets"),
    }
    return render(request, "support/my_ticket.html", context)
