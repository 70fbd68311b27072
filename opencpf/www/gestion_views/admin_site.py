"""The Django admin stays for superusers only, behind the one sign-in of the platform (lock-outs, device codes,
TOTP, history): its own login form is replaced by a redirect to it. Agents work in /gestion/."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


def restrict_admin(site) -> None:
    def login(request, extra_context=None):
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))

    def has_permission(request):
        user = request.user
        return bool(user.is_active and user.is_superuser and user.is_staff)

    site.login = login
    site.has_permission = has_permission
