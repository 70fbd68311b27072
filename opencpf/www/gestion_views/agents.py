from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencpf.accounts.agents import agent_create
from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.utils.client import client_ip
from opencpf.www.gestion_views.access import manager_required
from opencpf.www.gestion_views.common import breadcrumb
from opencpf.www.gestion_views.forms import AgentCreateForm


@manager_required
def agents(request):
    form = AgentCreateForm(data=request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():

        def url_for(uidb64, token):
            return request.build_absolute_uri(reverse("accounts:password_reset_confirm", args=[uidb64, token]))

        try:
            created = agent_create(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                manage_agents=form.cleaned_data["manage_agents"],
                created_by=request.user,
                url_for=url_for,
                ip=client_ip(request),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            form = AgentCreateForm()
    context = {
        "form": form,
        "created": created,
        "agents": User.objects.filter(role=Role.AGENT).order_by("email"),
        "page_title": _("Agents"),
        "breadcrumb": breadcrumb(),
    }
    response = render(request, "gestion/agents.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"  # the new agent's authenticator secret is on this page once
    return response
