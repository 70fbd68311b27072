"""Career advisors on the web: "Find an advisor" (anyone; a signed-in holder's own situation by default), the
holder's appointment requests, and the advisors' space at /conseiller/. Every write goes through
`opencpf.advisors.services`; a request that is not the user's (or not their site's) answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.accounts.enums import Role
from opencpf.advisors import rules, selectors, services
from opencpf.advisors.enums import Network
from opencpf.places.selectors import postal_code_centre
from opencpf.utils.client import client_ip
from opencpf.www.access import holder_user
from opencpf.www.advisors_views.forms import DeclineForm, FindForm, IdentityForm, ProposeForm, RequestForm


def _holder_defaults(user) -> dict:
    """The search a signed-in holder sees first: their own address and situation."""
    if not user.is_authenticated or user.role != Role.HOLDER or not hasattr(user, "holder"):
        return {}
    holder = user.holder
    abroad = (holder.country or "FR").upper() != "FR"
    return {
        "postal_code": "" if abroad else holder.postal_code,
        "status": holder.status,
        "age": rules.age_on(holder.birth_date, timezone.localdate()),
        "disabled_worker": holder.disabled_worker,
        "abroad": abroad,
    }


def find(request):
    data = request.GET if "status" in request.GET else _holder_defaults(request.user) or None
    form = FindForm(data)
    choice, hits, searched = None, [], False
    if data is not None and form.is_valid():
        searched = True
        values = form.cleaned_data
        situation = rules.Situation(
            status=values["status"],
            age=values["age"],
            disabled_worker=values["disabled_worker"],
            manager=values["manager"],
            abroad=values["abroad"],
        )
        choice = selectors.choose_network(situation, timezone.localdate())
        centre = None if values["abroad"] else postal_code_centre(values["postal_code"])
        if centre is None and not values["abroad"]:
            form.add_error("postal_code", _("Unknown postal code."))
            choice = None
        else:
            remote = choice.network == Network.ABROAD
            hits = selectors.sites_near(
                choice.network,
                latitude=None if remote else centre.latitude,
                longitude=None if remote else centre.longitude,
            )
    return render(
        request,
        "advisors/find.html",
        {
            "page_title": _("Find a career advisor"),
            "form": form,
            "choice": choice,
            "network_label": Network(choice.network).label if choice else "",
            "hits": hits,
            "searched": searched,
        },
    )


@login_required
def request_appointment(request, site_id: int):
    user = holder_user(request)
    site = selectors.open_site(site_id)
    if site is None:
        raise Http404
    networks = selectors.site_networks(site)
    network = request.GET.get("network") or request.POST.get("network") or ""
    network = network if network in networks else networks[0]
    form = RequestForm(request.POST or None, remote_only=site.remote_only)
    status = 200
    if not site.is_open:
        status = 409
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = services.appointment_request(
                user=user,
                site_id=site.pk,
                network=network,
                subject=data["subject"],
                mode=data["mode"],
                slots=form.slots(),
                message=data["message"],
                share_balance=data["share_balance"],
                share_dossiers=data["share_dossiers"],
                ip=client_ip(request),
            )
        except services.AppointmentError as refused:
            status = refused.status if refused.status < 500 else 400
            for field, errors in refused.errors.items():
                target = {"slots": "slot1_date"}.get(field, field)
                for message in errors:
                    form.add_error(target if target in form.fields else None, message)
        else:
            messages.success(request, _("Your request was sent. You will receive an email at each step."))
            return redirect("advisors:holder_detail", appointment.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "advisors/request.html",
        {
            "page_title": _("Ask for an appointment"),
            "breadcrumb": [{"url": reverse("advisors:find"), "title": _("Find a career advisor")}],
            "site": site,
            "network": network,
            "network_label": Network(network).label,
            "form": form,
        },
        status=status,
    )


@login_required
def holder_list(request):
    user = holder_user(request)
    return render(
        request,
        "advisors/holder_list.html",
        {"page_title": _("My advisor appointments"), "appointments": selectors.appointments_of_holder(user)},
    )


def _visible(request, appointment_id: int):
    appointment = selectors.appointment_visible_to(request.user, appointment_id)
    if appointment is None:
        raise Http404
    return appointment


@login_required
def holder_detail(request, appointment_id: int):
    holder_user(request)
    appointment = _visible(request, appointment_id)
    return render(
        request,
        "advisors/holder_detail.html",
        {
            "page_title": _("Appointment request"),
            "breadcrumb": [{"url": reverse("advisors:holder_list"), "title": _("My advisor appointments")}],
            "appointment": appointment,
        },
    )


@login_required
@require_POST
def holder_cancel(request, appointment_id: int):
    holder_user(request)
    _visible(request, appointment_id)
    try:
        services.appointment_cancel(user=request.user, appointment_id=appointment_id, ip=client_ip(request))
    except services.AppointmentError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your request was cancelled."))
    return redirect("advisors:holder_detail", appointment_id)


# --- advisors ---------------------------------------------------------------------------------------------------


def _advisor_user(request):
    if request.user.role != Role.ADVISOR or not selectors.advisor_site_ids(request.user):
        raise PermissionDenied(_("This page is for career advisors."))
    return request.user


@login_required
def advisor_list(request):
    user = _advisor_user(request)
    appointments = list(selectors.appointments_for_advisor(user)[:200])
    return render(
        request,
        "advisors/advisor_list.html",
        {
            "page_title": _("Advisor space"),
            "open_appointments": [a for a in appointments if a.is_open],
            "closed_appointments": [a for a in appointments if not a.is_open],
        },
    )


def _advisor_page(request, appointment, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    context = {
        "page_title": _("Appointment request"),
        "breadcrumb": [{"url": reverse("advisors:advisor_list"), "title": _("Advisor space")}],
        "appointment": appointment,
        "shared": selectors.shared_with_advisor(appointment),
        "can_answer": appointment.is_open,
        "can_mark_held": appointment.can_be_marked_held(timezone.now()),
        "propose_form": forms.get("propose") or ProposeForm(),
        "decline_form": forms.get("decline") or DeclineForm(),
        "identity_refusal": selectors.identity_confirmation_refusal(appointment, timezone.now()),
        "identity_form": forms.get("identity") or IdentityForm(),
    }
    return render(request, "advisors/advisor_detail.html", context, status=status)


@login_required
def advisor_detail(request, appointment_id: int):
    _advisor_user(request)
    return _advisor_page(request, _visible(request, appointment_id))


@login_required
@require_POST
def advisor_action(request, appointment_id: int, action: str):
    user = _advisor_user(request)
    appointment = _visible(request, appointment_id)
    ip = client_ip(request)
    form = {"propose": ProposeForm, "decline": DeclineForm, "identity": IdentityForm}.get(action)
    if action not in ("propose", "decline", "held", "identity"):
        raise Http404
    bound = form(request.POST) if form else None
    if bound is not None and not bound.is_valid():
        return _advisor_page(request, appointment, {action: bound}, status=400)
    try:
        if action == "propose":
            services.appointment_propose(
                user=user,
                appointment_id=appointment.pk,
                at=bound.moment(),
                message=bound.cleaned_data["message"],
                ip=ip,
            )
        elif action == "decline":
            services.appointment_decline(
                user=user, appointment_id=appointment.pk, reason=bound.cleaned_data["reason"], ip=ip
            )
        elif action == "identity":
            services.appointment_identity_confirm(
                user=user, appointment_id=appointment.pk, document_kind=bound.cleaned_data["document_kind"], ip=ip
            )
        else:
            services.appointment_mark_held(user=user, appointment_id=appointment.pk, ip=ip)
    except services.AppointmentError as refused:
        if bound is not None and not (action == "identity" and refused.status == 409):
            for field, errors in refused.errors.items():
                target = {"at": "day"}.get(field, field)
                for message in errors:
                    bound.add_error(target if target in bound.fields else None, message)
            return _advisor_page(request, appointment, {action: bound}, status=refused.status)
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Done: the holder receives an email."))
    return redirect("advisors:advisor_detail", appointment.pk)
