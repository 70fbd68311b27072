"""The organisation's staff page: members and their roles, invitations; and the invitation link. The services check
the roles (least privilege); these views only choose the organisation and show the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import Organisation
from opencpf.catalogue.selectors import (
    has_organisation_role,
    invitation_by_token,
    invitation_has_account,
    invitations_pending,
    organisation_api_keys,
    organisation_members,
    organisation_roles,
)
from opencpf.catalogue.services import api_keys, staff
from opencpf.dossiers.selectors import organisation_ids_of
from opencpf.utils.client import client_ip
from opencpf.www.organisations_views.forms import ApiKeyForm, InviteForm, JoinForm, RolesForm


def _organisation(request) -> Organisation:
    """The organisation the page is about: `?organisation=<id>` among the user's, else their first."""
    ids = organisation_ids_of(request.user)
    if not ids:
        raise PermissionDenied(_("This page is for the staff of a training organisation."))
    wanted = request.GET.get("organisation") or request.POST.get("organisation") or ""
    chosen = int(wanted) if wanted.isdigit() and int(wanted) in ids else min(ids)
    return Organisation.objects.get(pk=chosen)


def _show_errors(request, error: ValidationError, form=None) -> None:
    for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        for message in errors:
            if form is not None and field in form.fields:
                form.add_error(field, message)
            else:
                messages.error(request, message)


def _team_url(organisation: Organisation) -> str:
    return f"{reverse('organisations:team')}?organisation={organisation.pk}"


def _team_page(request, organisation: Organisation, *, form=None, key_form=None, new_key: str = ""):
    manager = has_organisation_role(request.user, organisation.pk, OrganisationRole.ACCESS_MANAGER)
    form = form or InviteForm()
    key_form = key_form or ApiKeyForm()
    held = organisation_roles(request.user, organisation.pk)
    context = {
        "organisation": organisation,
        "manager": manager,
        "my_roles": [label for value, label in OrganisationRole.choices if value in held],
        "members": [row for row in organisation_members(organisation.pk) if not row["is_key"]],
        "invitations": invitations_pending(organisation.pk) if manager else [],
        "api_keys": organisation_api_keys(organisation.pk) if manager else [],
        "form": form,
        "key_form": key_form,
        "new_key": new_key,
        "invitation_days": staff.INVITATION_LIFETIME.days,
        "role_choices": OrganisationRole.choices,
        "page_title": _("Staff of %(organisation)s") % {"organisation": organisation.name},
        "breadcrumb": [{"url": reverse("dossiers:organisation_requests"), "title": _("Training files")}],
    }
    status = 400 if form.errors or key_form.errors else 200
    response = render(request, "organisations/team.html", context, status=status)
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is shown once: not kept by the browser either
    return response


@login_required
def team(request):
    organisation = _organisation(request)
    form = InviteForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as error:
            _show_errors(request, error, form)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect(_team_url(organisation))
    return _team_page(request, organisation, form=form)


@login_required
@require_POST
def api_key_create(request):
    organisation = _organisation(request)
    key_form = ApiKeyForm(data=request.POST)
    clear = ""
    if key_form.is_valid():
        try:
            clear, _key = api_keys.api_key_create(
                organisation=organisation,
                name=key_form.cleaned_data["name"],
                scopes=key_form.cleaned_data["scopes"],
                actor=request.user,
                ip=client_ip(request),
            )
        except ValidationError as error:
            _show_errors(request, error, key_form)
        else:
            key_form = ApiKeyForm()
    return _team_page(request, organisation, key_form=key_form, new_key=clear)


@login_required
@require_POST
def api_key_revoke(request, key_id: int):
    organisation = _organisation(request)
    try:
        api_keys.api_key_revoke(key_id=key_id, organisation=organisation, actor=request.user, ip=client_ip(request))
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("API key revoked."))
    return redirect(_team_url(organisation))


@login_required
@require_POST
def member_roles(request, user_id: int):
    organisation = _organisation(request)
    form = RolesForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one or more roles."))
        return redirect(_team_url(organisation))
    try:
        staff.member_roles_set(
            organisation=organisation,
            user_id=user_id,
            roles=form.cleaned_data["roles"],
            actor=request.user,
            ip=client_ip(request),
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Roles saved."))
    return redirect(_team_url(organisation))


@login_required
@require_POST
def member_revoke(request, user_id: int):
    organisation = _organisation(request)
    try:
        staff.member_revoke(organisation=organisation, user_id=user_id, actor=request.user, ip=client_ip(request))
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Access removed."))
    return redirect(_team_url(organisation))


@login_required
@require_POST
def invitation_revoke(request, invitation_id: int):
    organisation = _organisation(request)
    try:
        staff.invitation_revoke(
            invitation_id=invitation_id, organisation=organisation, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Invitation cancelled."))
    return redirect(_team_url(organisation))


def invitation(request, token: str):
    """The link of the invitation email: join when signed in with the invited address; open a staff account when
    the address has none; otherwise sign in first."""
    pending = invitation_by_token(token)
    if pending is None:
        raise Http404
    signed_in = request.user.is_authenticated
    has_account = not signed_in and invitation_has_account(pending)
    form = JoinForm(data=request.POST or None) if not signed_in and not has_account else None
    if request.method == "POST" and (signed_in or (form is not None and form.is_valid())):
        try:
            member = staff.invitation_accept(
                token=token,
                user=request.user if signed_in else None,
                password=form.cleaned_data["password"] if form else "",
                display_name=form.cleaned_data["display_name"] if form else "",
                ip=client_ip(request),
            )
        except ValidationError as error:
            _show_errors(request, error, form)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("You joined %(organisation)s.") % {"organisation": pending.organisation.name})
            if not signed_in:  # the one sign-in path: the new account signs in like any other
                return redirect("accounts:login")
            return redirect(_team_url(member.organisation))
    context = {
        "invitation": pending,
        "roles": [OrganisationRole(r).label for r in pending.roles if r in OrganisationRole.values],
        "signed_in": signed_in,
        "has_account": has_account,
        "form": form,
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
        "page_title": _("Invitation to join %(organisation)s") % {"organisation": pending.organisation.name},
    }
    return render(request, "organisations/invitation.html", context, status=400 if form and form.errors else 200)
