"""The organisation space: its payments, a file, and the actions on it (answer, declare, cancel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.catalogue.models import Session
from opencpf.dossiers import rules, selectors, services, statements
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.dossiers.models import Dossier, OrganisationPaymentStatus
from opencpf.dossiers.params import dossier_parameters
from opencpf.utils.client import client_ip
from opencpf.www.dossiers_views.forms import (
    AbandonmentForm,
    ExitForm,
    OrganisationCancelForm,
    ProposeForm,
    ReasonForm,
)
from opencpf.www.dossiers_views.views.common import (
    _errors_to_form,
    _organisation_dossier,
    _staff_user,
    _today,
    dossier_row,
)

S = DossierState


# --- organisation ----------------------------------------------------------------------------------------------


@login_required
def organisation_payments(request):
    user = _staff_user(request)
    payments = list(selectors.organisation_payments(user))
    return render(
        request,
        "dossiers/organisation_payments.html",
        {
            "page_title": _("Payments to my organisation"),
            "breadcrumb": [{"url": reverse("dossiers:organisation_requests"), "title": _("Training files")}],
            "due": [p for p in payments if p.status != OrganisationPaymentStatus.PAID],
            "paid": [p for p in payments if p.status == OrganisationPaymentStatus.PAID],
            "totals": statements.monthly_totals(statements.payments_for(user))[:12],
            "today": _today(),
        },
    )


ORGANISATION_ACTIONS = {
    "propose": Action.PROPOSE,
    "refuse": Action.REFUSE,
    "declare-entry": Action.DECLARE_ENTRY,
    "declare-no-show": Action.DECLARE_NO_SHOW,
    "declare-abandonment": Action.DECLARE_ABANDONMENT,
    "declare-exit": Action.DECLARE_EXIT,
    "cancel": Action.CANCEL_BY_ORGANISATION,
}


def key(action: str) -> str:
    """The URL's action ("declare-exit") as a template-friendly key ("declare_exit")."""
    return action.replace("-", "_")


def _allowed_now_and_not_yet(dossier: Dossier) -> tuple[list[str], set[str]]:
    """The actions the file's state lets the organisation take (in table order): those its dates allow now, and
    the declarations not yet possible (before the first or the last day: the page says from when)."""
    today = _today()
    too_early = set()
    # The services' own date checks.
    if dossier.proposal_start and not rules.can_declare_entry(today=today, start=dossier.proposal_start):
        too_early |= {"declare_entry", "declare_no_show"}
    if dossier.proposal_end and not rules.exit_day_reached(today=today, end=dossier.proposal_end):
        too_early.add("declare_exit")
    allowed = [key(name) for name, action in ORGANISATION_ACTIONS.items() if action in _allowed(dossier)]
    return [name for name in allowed if name not in too_early], too_early.intersection(allowed)


def _organisation_forms(dossier: Dossier, data=None, which: str | None = None) -> dict:
    """One form per action the organisation may take now; only `which` is bound to the posted data."""
    actions = _allowed_now_and_not_yet(dossier)[0]
    sessions = Session.objects.filter(offer_id=dossier.offer_id, is_active=True).order_by("start_date", "id")

    def bound(name):
        return data if name == which else None

    forms = {}
    for name in actions:
        if name == "propose":
            forms[name] = ProposeForm(
                bound(name),
                sessions=sessions,
                initial={
                    "session": str(dossier.session_id),
                    "price": dossier.offer_price,
                },
                prefix="propose",
            )
        elif name == "refuse":
            forms[name] = ReasonForm(bound(name), prefix=name)
        elif name == "cancel":
            forms[name] = OrganisationCancelForm(bound(name), prefix=name)
        elif name == "declare_no_show":
            forms[name] = ReasonForm(bound(name), required=False, prefix=name)
        elif name == "declare_abandonment":
            forms[name] = AbandonmentForm(bound(name), prefix=name)
        elif name == "declare_exit":
            forms[name] = ExitForm(bound(name), prefix=name)
        else:
            forms[name] = None
    return forms


def _allowed(dossier: Dossier) -> list[Action]:
    from opencpf.dossiers.enums import allowed_actions

    return allowed_actions(DossierState(dossier.state), Actor.ORGANISATION)


def _render_organisation_detail(request, dossier: Dossier, forms: dict, status: int = 200):
    today = _today()
    preview = None
    if "cancel" in forms and dossier.state in (S.CONFIRMED, S.IN_TRAINING):
        preview = selectors.cancellation_preview(dossier, actor=Actor.ORGANISATION, on=today)
    params = dossier_parameters(today)
    return render(
        request,
        "dossiers/organisation_detail.html",
        {
            "page_title": _("Training file no. %(number)s") % {"number": dossier.pk},
            "breadcrumb": [{"url": reverse("dossiers:organisation_requests"), "title": _("Training files")}],
            "dossier": dossier,
            "row": dossier_row(dossier, "organisation", today),
            "history": selectors.dossier_history(dossier),
            "forms": forms,
            "not_yet": _allowed_now_and_not_yet(dossier)[1],
            "earliest_start": rules.earliest_start(today, params),
            "preview": preview,
            "payment": getattr(dossier, "organisation_payment", None) if dossier.organisation_amount else None,
            "audience": "organisation",
            "funding_details": selectors.sees_funding_details(request.user),
        },
        status=status,
    )


@login_required
def organisation_detail(request, dossier_id: int):
    dossier = _organisation_dossier(request, dossier_id)
    return _render_organisation_detail(request, dossier, _organisation_forms(dossier))


@login_required
@require_POST
def organisation_action(request, dossier_id: int, action: str):
    dossier = _organisation_dossier(request, dossier_id)
    if action not in ORGANISATION_ACTIONS:
        raise Http404
    forms = _organisation_forms(dossier, request.POST, key(action))
    if key(action) not in forms:
        messages.error(request, _("This is not possible on this file now."))
        return redirect("dossiers:organisation_detail", dossier.pk)
    form = forms[key(action)]
    if form is not None and not form.is_valid():
        return _render_organisation_detail(request, dossier, forms, status=400)
    data = form.cleaned_data if form is not None else {}
    common = {"dossier_id": dossier.pk, "user": request.user, "ip": client_ip(request)}
    try:
        if action == "propose":
            session_id = int(data["session"]) if data.get("session") else None
            if session_id is None and not (data.get("start") and data.get("end")):
                form.add_error("start", _("Choose a session or give the first and last days."))
                return _render_organisation_detail(request, dossier, forms, status=400)
            services.dossier_propose(
                **common,
                price=data["price"],
                session_id=session_id,
                start=data.get("start") if session_id is None else None,
                end=data.get("end") if session_id is None else None,
                message=data.get("message", ""),
            )
        elif action == "refuse":
            services.dossier_refuse(**common, reason=data["reason"])
        elif action == "cancel":
            services.dossier_cancel(**common, reason=data["reason"])
        elif action == "declare-entry":
            services.dossier_declare_entry(**common)
        elif action == "declare-no-show":
            services.dossier_declare_no_show(**common, reason=data.get("reason", ""))
        elif action == "declare-abandonment":
            services.dossier_declare_abandonment(
                **common,
                attendance_percent=data["attendance_percent"],
                force_majeure=data["force_majeure"],
                reason=data["reason"],
            )
        elif action == "declare-exit":
            services.dossier_declare_exit(**common, completion_percent=data["completion_percent"])
    except services.DossierError as refused:
        if form is not None:
            _errors_to_form(form, refused)
        else:
            for field_messages in refused.errors.values():
                for message in field_messages:
                    messages.error(request, message)
        dossier.refresh_from_db()
        return _render_organisation_detail(request, dossier, forms, status=refused.status)
    messages.success(request, _("Done: the holder is informed by email."))
    return redirect("dossiers:organisation_detail", dossier.pk)
