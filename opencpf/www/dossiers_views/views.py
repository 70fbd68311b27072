"""Training files on the web: the holder's "My files" and the organisation space. Every write goes through
`opencpf.dossiers.services`; a file that is not the user's answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opencpf.accounts.enums import Role
from opencpf.catalogue.models import Session
from opencpf.catalogue.selectors import organisation_is_public
from opencpf.dossiers import rules, selectors, services, statements
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.dossiers.models import Dossier, OrganisationPaymentStatus
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import InvalidCard, card_from_input, payment_provider
from opencpf.utils.client import client_info
from opencpf.www.access import holder_user
from opencpf.www.dossiers_views.forms import (
    AbandonmentForm,
    AcceptWithoutCardForm,
    CardForm,
    EvaluationForm,
    ExitForm,
    OrganisationCancelForm,
    ProposeForm,
    ReasonForm,
)

S = DossierState
DEADLINE_LABELS = {
    "respond_before": gettext_lazy("organisation's answer by"),
    "accept_before": gettext_lazy("acceptance by"),
    "declare_entry_before": gettext_lazy("entry to be declared by"),
    "declare_exit_before": gettext_lazy("exit to be declared by"),
    "pay_before": gettext_lazy("organisation paid by"),
}


def _today():
    return rules.paris_date(timezone.now())


def _ip(request) -> str | None:
    return client_info(request).ip


def _staff_user(request):
    if request.user.role != Role.ORGANISATION_STAFF or not selectors.organisation_ids_of(request.user):
        raise PermissionDenied(_("This page is for the staff of a training organisation."))
    return request.user


def _holder_dossier(request, dossier_id: int) -> Dossier:
    user = holder_user(request)
    dossier = selectors.dossier_visible_to(user, dossier_id)
    if dossier is None:
        raise Http404
    return dossier


def _organisation_dossier(request, dossier_id: int) -> Dossier:
    user = _staff_user(request)
    dossier = selectors.dossier_visible_to(user, dossier_id)
    if dossier is None:
        raise Http404
    return dossier


def _errors_to_form(form, error: services.DossierError) -> None:
    for field, messages_ in error.errors.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def dossier_row(dossier: Dossier, audience: str, today) -> dict:
    deadline = selectors.next_deadline(dossier)
    return {
        "dossier": dossier,
        "deadline_label": DEADLINE_LABELS.get(deadline[0], "") if deadline else "",
        "deadline": deadline[1] if deadline else None,
        "late": bool(deadline and deadline[1] < today),
        "next_step": selectors.state_message(dossier, audience),
    }


# --- holder ----------------------------------------------------------------------------------------------------


@login_required
def holder_list(request):
    user = holder_user(request)
    today = _today()
    rows = [dossier_row(dossier, "holder", today) for dossier in selectors.dossiers_of_holder(user)]
    return render(
        request,
        "dossiers/list.html",
        {
            "page_title": _("My training files"),
            "open_rows": [row for row in rows if row["dossier"].is_open],
            "closed_rows": [row for row in rows if not row["dossier"].is_open],
        },
    )


@login_required
def register(request, session_id: int):
    user = holder_user(request)
    today = _today()
    session = (
        Session.objects.select_related("offer__organisation", "offer__certification").filter(pk=session_id).first()
    )
    if session is None or not session.offer.is_active or not organisation_is_public(session.offer.organisation, today):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            dossier = services.dossier_register(user=user, session_id=session.pk, ip=_ip(request))
        except services.DossierError as refused:
            error = refused
        else:
            messages.success(request, _("Your request was sent to the organisation."))
            return redirect("dossiers:detail", dossier.pk)
    params = dossier_parameters(today)
    return render(
        request,
        "dossiers/register.html",
        {
            "page_title": _("Register for a training"),
            "breadcrumb": [
                {"url": reverse("catalogue:search"), "title": _("Find a training")},
                {"url": reverse("catalogue:offer", args=[session.offer_id]), "title": session.offer.title},
            ],
            "session": session,
            "offer": session.offer,
            "respond_before": rules.respond_before(today, params),
            "error": error,
        },
        status=error.status if error and error.status < 500 else 200,
    )


@login_required
def detail(request, dossier_id: int):
    dossier = _holder_dossier(request, dossier_id)
    today = _today()
    actions = selectors.actions_for(request.user, dossier)
    return render(
        request,
        "dossiers/detail.html",
        {
            "page_title": dossier.offer_title,
            "breadcrumb": [{"url": reverse("dossiers:list"), "title": _("My training files")}],
            "dossier": dossier,
            "row": dossier_row(dossier, "holder", today),
            "history": selectors.dossier_history(dossier),
            "can_accept": Action.ACCEPT in actions,
            "can_cancel": Action.CANCEL_BY_HOLDER in actions,
            "can_evaluate": selectors.can_evaluate(dossier, today),
            "audience": "holder",
            "funding_details": selectors.sees_funding_details(request.user),
        },
    )


@login_required
def accept(request, dossier_id: int):
    dossier = _holder_dossier(request, dossier_id)
    today = _today()
    if dossier.state != S.PROPOSED:
        messages.info(request, _("This file has no proposal waiting for your acceptance."))
        return redirect("dossiers:detail", dossier.pk)
    funding = selectors.funding_for(dossier, on=today)
    pays_by_card = funding.plan.holder_pays > 0
    form_class = CardForm if pays_by_card else AcceptWithoutCardForm
    initial = {"expected_card_amount": funding.plan.holder_pays}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, initial=initial)
        if form.is_valid():
            data = form.cleaned_data
            try:
                card = None
                if pays_by_card:
                    card = card_from_input(
                        number=data["number"],
                        expiry_month=data["expiry_month"],
                        expiry_year=data["expiry_year"],
                        cvc=data["cvc"],
                        holder_name=data.get("holder_name", ""),
                        today=today,
                    )
                services.dossier_accept(
                    dossier_id=dossier.pk,
                    user=request.user,
                    card=card,
                    expected_card_amount=data["expected_card_amount"],
                    ip=_ip(request),
                )
            except InvalidCard as invalid:
                for field, field_messages in invalid.errors.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else "expiry_month", message)
                status = 400
            except services.DossierError as refused:
                if refused.code == "not_allowed" and _holder_dossier(request, dossier_id).state != S.PROPOSED:
                    # A second click while the first was being paid: the first one won; show the file, not an error.
                    messages.info(request, _("This file has no proposal waiting for your acceptance."))
                    return redirect("dossiers:detail", dossier.pk)
                _errors_to_form(form, refused)
                status = refused.status
                if refused.code == "funding_changed":
                    funding = selectors.funding_for(dossier, on=today)
                    form = form_class(initial={"expected_card_amount": funding.plan.holder_pays})
                    _errors_to_form(form, refused)
            else:
                messages.success(request, _("Your registration is confirmed."))
                return redirect("dossiers:detail", dossier.pk)
        else:
            status = 400
    else:
        form = form_class(initial=initial)
    return render(
        request,
        "dossiers/accept.html",
        {
            "page_title": _("Accept the proposal"),
            "breadcrumb": [
                {"url": reverse("dossiers:list"), "title": _("My training files")},
                {"url": reverse("dossiers:detail", args=[dossier.pk]), "title": dossier.offer_title},
            ],
            "dossier": dossier,
            "funding": funding,
            "form": form,
            "pays_by_card": pays_by_card,
            "sandbox": payment_provider().is_sandbox,
            "free_until": rules.free_cancellation_until(dossier.proposal_start, dossier_parameters(today)),
            "after_free": selectors.late_cancellation_consequence(
                funded=funding.plan.funded, card=funding.plan.holder_pays
            ),
        },
        status=status,
    )


@login_required
def cancel(request, dossier_id: int):
    dossier = _holder_dossier(request, dossier_id)
    today = _today()
    if Action.CANCEL_BY_HOLDER not in selectors.actions_for(request.user, dossier):
        messages.info(request, _("This file can no longer be cancelled."))
        return redirect("dossiers:detail", dossier.pk)
    preview = selectors.cancellation_preview(dossier, actor=Actor.HOLDER, on=today)
    form = ReasonForm(request.POST or None, required=False)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.dossier_cancel(
                    dossier_id=dossier.pk, user=request.user, reason=form.cleaned_data["reason"], ip=_ip(request)
                )
            except services.DossierError as refused:
                _errors_to_form(form, refused)
                status = refused.status
            else:
                messages.success(request, _("The file is cancelled."))
                return redirect("dossiers:detail", dossier.pk)
        else:
            status = 400
    return render(
        request,
        "dossiers/cancel.html",
        {
            "page_title": _("Decline the proposal") if dossier.state == S.PROPOSED else _("Cancel the file"),
            "breadcrumb": [
                {"url": reverse("dossiers:list"), "title": _("My training files")},
                {"url": reverse("dossiers:detail", args=[dossier.pk]), "title": dossier.offer_title},
            ],
            "dossier": dossier,
            "preview": preview,
            "form": form,
        },
        status=status,
    )


@login_required
def evaluate(request, dossier_id: int):
    dossier = _holder_dossier(request, dossier_id)
    today = _today()
    if not selectors.can_evaluate(dossier, today):
        messages.info(request, _("This training cannot be evaluated now."))
        return redirect("dossiers:detail", dossier.pk)
    form = EvaluationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.dossier_evaluate(
                    dossier_id=dossier.pk,
                    user=request.user,
                    took_place=data["took_place"],
                    ratings={
                        name: data.get(name) for name in ("welcome", "content", "trainers", "resources", "support")
                    },
                    comment=data.get("comment", ""),
                    ip=_ip(request),
                )
            except services.DossierError as refused:
                _errors_to_form(form, refused)
                status = refused.status
            else:
                messages.success(request, _("Thank you for your answer."))
                return redirect("dossiers:detail", dossier.pk)
        else:
            status = 400
    return render(
        request,
        "dossiers/evaluate.html",
        {
            "page_title": _("Evaluate the training"),
            "breadcrumb": [
                {"url": reverse("dossiers:list"), "title": _("My training files")},
                {"url": reverse("dossiers:detail", args=[dossier.pk]), "title": dossier.offer_title},
            ],
            "dossier": dossier,
            "form": form,
        },
        status=status,
    )


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


def _organisation_forms(dossier: Dossier, data=None, which: str | None = None) -> dict:
    """One form per action the organisation may take now; only `which` is bound to the posted data."""
    today = _today()
    too_early = set()
    if dossier.proposal_start and today < dossier.proposal_start:
        too_early |= {"declare_entry", "declare_no_show"}
    if dossier.proposal_end and today < dossier.proposal_end:
        too_early.add("declare_exit")
    actions = [
        key(name)
        for name, action in ORGANISATION_ACTIONS.items()
        if action in _allowed(dossier) and key(name) not in too_early
    ]
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
    common = {"dossier_id": dossier.pk, "user": request.user, "ip": _ip(request)}
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
