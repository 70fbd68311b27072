"""FranceConnect on the web (DESIGN §2.5): the signed-in holder verifies their identity (FranceConnect+, eidas2),
or somebody signs in to the account linked to their FranceConnect identity. The flow starts with a plain link (a
redirect to the provider) and comes back to one callback. The OpenID Connect client is
`opencpf.identity.franceconnect.client`, the decisions `opencpf.identity.franceconnect.services`."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencpf.accounts import services as accounts
from opencpf.accounts import signin
from opencpf.identity.enums import VERIFYING_ACRS, FederationPurpose
from opencpf.identity.franceconnect import client
from opencpf.identity.franceconnect import services as franceconnect
from opencpf.utils.client import client_info, client_ip
from opencpf.www.accounts_views.views.common import _device_token
from opencpf.www.accounts_views.views.sign_in import sign_in_answer


def _refused(request, error: client.FederationError, *, purpose: FederationPurpose | None):
    status = 503 if error.code == "unreachable" else 400
    context = {"message": error.message, "purpose": purpose, "page_title": _("FranceConnect")}
    return render(request, "identity/franceconnect_refused.html", context, status=status)


def _redirect_to_provider(request, purpose: FederationPurpose):
    try:
        return HttpResponseRedirect(client.authorization_url(request=request, purpose=purpose))
    except client.FederationError as error:
        return _refused(request, error, purpose=purpose)


@require_GET
def verify(request):
    """The signed-in holder asks FranceConnect+ for their identity."""
    if not client.configured():
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_holder and hasattr(request.user, "holder")):
        raise Http404
    return _redirect_to_provider(request, FederationPurpose.VERIFY)


@require_GET
def sign_in(request):
    if not client.configured():
        raise Http404
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    return _redirect_to_provider(request, FederationPurpose.SIGN_IN)


@require_GET
def callback(request):
    """The provider sends the browser back here, with a code (or an error) and the state of the flow."""
    ip = client_ip(request)
    try:
        answer = client.callback_answer(request)
    except client.FederationError as error:
        accounts.audit(
            actor=request.user if request.user.is_authenticated else None,
            action="franceconnect_refused",
            ip=ip,
            reason=error.code,
        )
        return _refused(request, error, purpose=None)
    if answer.purpose == FederationPurpose.VERIFY:
        return _verified(request, answer, ip)
    return _signed_in(request, answer, ip)


def _verified(request, answer: client.FederationAnswer, ip: str | None):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        franceconnect.franceconnect_verify(user=request.user, answer=answer, ip=ip)
    except client.FederationError as error:
        return _refused(request, error, purpose=answer.purpose)
    if answer.acr in VERIFYING_ACRS:
        messages.success(
            request,
            _("FranceConnect+ confirmed your identity: it is verified, and you can sign in with FranceConnect."),
        )
    else:
        messages.info(
            request,
            _(
                "Your account is linked to FranceConnect: you can sign in with it. To verify your identity, "
                "FranceConnect+ (a substantial level of assurance) or an ID document is needed."
            ),
        )
    return redirect("identity:check")


def _signed_in(request, answer: client.FederationAnswer, ip: str | None):
    if request.user.is_authenticated:
        return redirect("www:dashboard")
    try:
        holder = franceconnect.franceconnect_holder(answer=answer, ip=ip)
    except client.FederationError as error:
        return _refused(request, error, purpose=answer.purpose)
    result = signin.sign_in_federated(
        user=holder.user, client=client_info(request), device_token=_device_token(request)
    )
    if result.ok or result.pending is not None or result.status == signin.Status.ABROAD:
        accounts.audit(actor=holder.user, action="franceconnect_sign_in", target=f"holder:{holder.pk}", ip=ip)
    if (response := sign_in_answer(request, result)) is not None:
        return response
    return _refused(request, client.FederationError(result.status, result.message), purpose=answer.purpose)


@require_POST
def unlink(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_holder and hasattr(request.user, "holder")):
        raise Http404
    if franceconnect.franceconnect_unlink(user=request.user, ip=client_ip(request)):
        messages.success(request, _("FranceConnect no longer signs you in to this account."))
    return redirect("identity:check")
