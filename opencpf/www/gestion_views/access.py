"""Who may enter /gestion/: active agents whose session passed the authenticator step (agents always sign in with
TOTP, through the one sign-in of the platform). Anyone else signed in gets 403; signed out, the sign-in page."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from opencpf.accounts.agents import can_manage_agents


def is_agent_session(request) -> bool:
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)
    return bool(user.is_authenticated and user.is_active and user.is_agent and verified())


def agent_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        if not is_agent_session(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def manager_required(view):
    @agent_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_agents(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
