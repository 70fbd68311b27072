"""What the training-file pages share: today in Paris, whose file it is, a file's row in a list."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencpf.accounts.enums import Role
from opencpf.dossiers import rules, selectors, services
from opencpf.dossiers.models import Dossier
from opencpf.www.access import holder_user

DEADLINE_LABELS = {
    "respond_before": gettext_lazy("organisation's answer by"),
    "accept_before": gettext_lazy("acceptance by"),
    "declare_entry_before": gettext_lazy("entry to be declared by"),
    "declare_exit_before": gettext_lazy("exit to be declared by"),
    "pay_before": gettext_lazy("organisation paid by"),
}


def _today():
    return rules.paris_date(timezone.now())


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
