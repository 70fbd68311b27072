"""Identity checks on the web: a signed-in holder sends an ID document to become verified; someone who finds
"their" NIR taken sends one anonymously ("this is my number") to recover the account. Writes in
`opencpf.identity.services`."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opencpf.identity import access, selectors, services, situations
from opencpf.identity.enums import Situation
from opencpf.utils.client import client_ip
from opencpf.www.identity_views.forms import AccessRequestForm, IdentityCheckForm, RecoveryForm, StatusProofForm
from opencpf.www.session_keys import RECOVERY_PREFILL

SENT_SESSION_KEY = "opencpf_identity_check_sent"


def _file(request, form, *, user, identity: dict):
    data = form.cleaned_data
    try:
        check = services.identity_check_file(
            user=user,
            document_kind=data["document_kind"],
            upload=data["document"],
            ip=client_ip(request),
            language=get_language(),
            **identity,
        )
    except services.IdentityCheckError as error:
        for field, messages in error.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return None, error.status
    request.session[SENT_SESSION_KEY] = check.reference
    return redirect("identity:sent"), 200


@require_http_methods(["GET", "POST"])
def check(request):
    """The signed-in holder's identity check."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_holder and hasattr(user, "holder")):
        raise Http404
    holder = user.holder
    form = IdentityCheckForm(data=request.POST or None, files=request.FILES or None)
    status = 200
    if request.method == "POST" and not holder.identity_verified and form.is_valid():
        response, status = _file(request, form, user=user, identity={})
        if response is not None:
            return response
    elif request.method == "POST" and form.is_bound and not form.is_valid():
        status = 400
    context = {
        "form": form,
        "holder": holder,
        "pending": selectors.identity_check_pending_of(holder),
        "federation_link": selectors.federation_link_of(holder),
        "hours": services.review_target_hours(),
        "page_title": _("Verify my identity"),
    }
    return render(request, "identity/check.html", context, status=status)


@require_http_methods(["GET", "POST"])
def recover(request):
    """ "This is my number": anonymous; the answer never says whether an account matched."""
    if request.user.is_authenticated:
        return redirect("identity:check")
    # What the registrant typed fills the form once (a shared computer does not keep showing it).
    prefill = request.session.pop(RECOVERY_PREFILL, {}) if request.method == "GET" else {}
    form = RecoveryForm(data=request.POST or None, files=request.FILES or None, initial=prefill)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            identity = {k: data[k] for k in ("nir", "birth_date", "last_name", "email")}
            response, status = _file(request, form, user=None, identity=identity)
            if response is not None:
                return response
    context = {"form": form, "hours": services.review_target_hours(), "page_title": _("This is my number")}
    return render(request, "identity/recover.html", context, status=status)


def sent(request):
    reference = request.session.get(SENT_SESSION_KEY)
    if not reference:
        return redirect("www:home")
    context = {"reference": reference, "hours": services.review_target_hours(), "page_title": _("Document received")}
    return render(request, "identity/sent.html", context)


@require_http_methods(["GET", "POST"])
def situation(request):
    """ "My situation": what counts (confirmed), what is pending, and the form to send a proof."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (user.is_holder and hasattr(user, "holder")):
        raise Http404
    holder = user.holder
    form = StatusProofForm(data=request.POST or None, files=request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                situations.status_proof_file(
                    user=user,
                    situation=data["situation"],
                    rate=data["rate"] or None,
                    upload=data["document"],
                    ip=client_ip(request),
                )
            except services.IdentityCheckError as error:
                for field, errors in error.errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                status = error.status
            else:
                messages.success(request, _("Your proof is sent: an agent checks it and emails you the answer."))
                return redirect("identity:situation")
    labels = dict(Situation.choices)
    context = {
        "form": form,
        "confirmed": [labels[s] for s in situations.confirmed_situations(holder)],
        "pending": [labels[s] for s in situations.pending_situations(holder)],
        "page_title": _("My situation"),
    }
    return render(request, "identity/situation.html", context, status=status)


@require_http_methods(["GET", "POST"])
def access_request(request):
    """Personal access from abroad: anonymous, since the requester cannot sign in."""
    form = AccessRequestForm(data=request.POST or None, files=request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = access.access_request_file(
                    nir=data["nir"],
                    birth_date=data["birth_date"],
                    email=data["email"],
                    country=data["country"],
                    reason=form.reason(),
                    phone_abroad=data["phone_abroad"],
                    address_abroad=data["address_abroad"],
                    upload=data["proof"],
                    ip=client_ip(request),
                    language=get_language(),
                )
            except services.IdentityCheckError as error:
                for field, errors in error.errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                status = error.status
            else:
                request.session[SENT_SESSION_KEY] = created.reference
                return redirect("identity:sent")
    context = {"form": form, "page_title": _("Personal access from abroad")}
    return render(request, "identity/access_request.html", context, status=status)
