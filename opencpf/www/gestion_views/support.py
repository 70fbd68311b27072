"""Messages from the contact form: the queue (open first, oldest first), a message's page, answered and closed.
Writes go through `opencpf.support.services` (audited there)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.support import selectors
from opencpf.support.enums import TicketStatus
from opencpf.support.services import SupportError, ticket_close, ticket_mark_answered
from opencpf.utils.client import client_ip
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.forms import TicketFilterForm, TicketNoteForm
from opencpf.www.navigation import trail

PAGE = 100


@agent_required
def queue(request):
    form = TicketFilterForm(data=request.GET or {"status": TicketStatus.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else TicketStatus.OPEN
    context = {
        "form": form,
        "tickets": selectors.ticket_queue(status=status)[:PAGE],
        "page_title": _("Contact messages"),
        "breadcrumb": trail("gestion:home"),
    }
    return render(request, "gestion/tickets.html", context)


@agent_required
def detail(request, ticket_id: int):
    ticket = selectors.ticket_for_agent(ticket_id)
    if ticket is None:
        raise Http404
    context = {
        "ticket": ticket,
        "form": TicketNoteForm(),
        "page_title": _("Message %(reference)s") % {"reference": ticket.reference},
        "breadcrumb": trail("gestion:home", "gestion:tickets"),
    }
    return render(request, "gestion/ticket.html", context)


def _act(request, ticket_id: int, call, success: str):
    form = TicketNoteForm(data=request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("gestion:ticket", ticket_id)
    try:
        call(ticket_id=ticket_id, agent=request.user, ip=client_ip(request), **form.cleaned_data)
    except SupportError as error:
        if error.status == 404:
            raise Http404
        for errors in error.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("gestion:ticket", ticket_id)


@require_POST
@agent_required
def answered(request, ticket_id: int):
    return _act(request, ticket_id, ticket_mark_answered, _("The message is marked answered."))


@require_POST
@agent_required
def close(request, ticket_id: int):
    return _act(request, ticket_id, ticket_close, _("The message is closed."))
