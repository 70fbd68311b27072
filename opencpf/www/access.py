"""Who may open a page, for the checks several groups of views share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role


def holder_user(request):
    """The signed-in account holder, or 403 for anyone else (staff, advisors, funders, agents)."""
    if request.user.role != Role.HOLDER or not hasattr(request.user, "holder"):
        raise PermissionDenied(_("This page is for account holders."))
    return request.user
