"""What the organisation's endpoints share: who the caller acts for, their own offers, the error responses.

The views keep the operation ids they had when they all lived in `opencpf.api.organisation` (ninja derives them
from the module): clients generate code from them, so each view spells its id out
(a literal, to be found by a grep)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role
from opencpf.api.errors import ApiError
from opencpf.api.schemas import Detail, Errors
from opencpf.catalogue.models import Offer, Organisation, Session
from opencpf.dossiers.selectors import organisation_ids_of

READ = {400: Errors, 401: Detail, 403: Detail}
WRITE = {400: Errors, 413: Errors, 401: Detail, 403: Detail, 404: Detail, 409: Detail, 422: Detail}


def staff_organisation_ids(request) -> list[int]:
    user = request.auth
    ids = organisation_ids_of(user) if user.role == Role.ORGANISATION_STAFF else []
    if not ids:
        raise PermissionDenied(_("This is for the staff of a training organisation."))
    return ids


def acting_organisation(request, organisation_id: int | None) -> Organisation:
    ids = staff_organisation_ids(request)
    if organisation_id is None:
        if len(ids) > 1:
            raise ApiError(400, {"organisation_id": [_("You act for several organisations: say which one.")]})
        organisation_id = ids[0]
    if organisation_id not in ids:
        raise ApiError(400, {"organisation_id": [_("You do not act for this organisation.")]})
    return Organisation.objects.get(pk=organisation_id)


def own_offer(request, offer_id: int) -> Offer:
    offer = Offer.objects.select_related("certification").filter(
        pk=offer_id, organisation_id__in=staff_organisation_ids(request)
    )
    if (found := offer.first()) is None:
        raise Http404
    return found


def act(call):
    """Run a service; another organisation's offer or session is a 404, as if it did not exist."""
    try:
        return call()
    except (Offer.DoesNotExist, Session.DoesNotExist):
        raise Http404
