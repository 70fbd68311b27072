"""The help centre (questions searchable without JavaScript) and the contact form; writes through
`opencpf.support.services`."""

from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opencpf.support.selectors import faq_sections, faq_terms
from opencpf.support.services import SupportError, ticket_create
from opencpf.utils.client import client_ip
from opencpf.www.navigation import trail
from opencpf.www.support_views.forms import ContactForm, HelpSearchForm

SENT_SESSION_KEY = "opencpf_support_ticket_sent"


def help_centre(request):
    form = HelpSearchForm(data=request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    searched = bool(faq_terms(query))
    sections = faq_sections(query)
    context = {
        "form": form,
        "query": query,
        "searched": searched,
        "sections": sections,
        "results": sum(len(section["questions"]) for section in sections),
        "page_title": _("Help"),
    }
    return render(request, "support/help.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def contact(request):
    user = request.user
    initial = {"subject": request.GET.get("sujet", "")}
    if user.is_authenticated:
        initial["email"] = user.email
    form = ContactForm(data=request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = ticket_create(
                    subject=data["subject"],
                    message=data["message"],
                    email=data["email"],
                    user=user if user.is_authenticated else None,
                    ip=client_ip(request),
                    language=get_language(),
                )
            except SupportError as error:
                status = error.status
                for field, messages in error.errors.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                request.session[SENT_SESSION_KEY] = {"reference": ticket.reference, "email": ticket.email}
                return redirect("support:contact_sent")
    context = {"form": form, "page_title": _("Contact us"), "breadcrumb": trail("support:help")}
    return render(request, "support/contact.html", context, status=status)


def contact_sent(request):
    sent = request.session.get(SENT_SESSION_KEY)
    if not sent:
        return redirect("support:contact")
    context = {**sent, "page_title": _("Your message is sent"), "breadcrumb": trail("support:help")}
    return render(request, "support/contact_sent.html", context)
