"""The holder's "My files": list, registration to a session, a file, accepting, cancelling, rating."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencpf.catalogue.models import Session
from opencpf.catalogue.selectors import organisation_is_public
from opencpf.dossiers import rules, selectors, services
from opencpf.dossiers.enums import Action, Actor, DossierState
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import InvalidCard, card_from_input, payment_provider
from opencpf.utils.client import client_ip
from opencpf.www.access import holder_user
from opencpf.www.dossiers_views.forms import (
    AcceptWithoutCardForm,
    CardForm,
    EvaluationForm,
    ReasonForm,
)
from opencpf.www.dossiers_views.views.common import _errors_to_form, _holder_dossier, _today, dossier_row

S = DossierState


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
            dossier = services.dossier_register(user=user, session_id=session.pk, ip=client_ip(request))
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
                    ip=client_ip(request),
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
                    dossier_id=dossier.pk, user=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)
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
                    ip=client_ip(request),
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
