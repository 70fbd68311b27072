from django.contrib import messages
from django.http import Http404

from opencpf.scams.services.reports import ReportError


def refused(request, error: ReportError, form=None) -> None:
    """Show a refusal on the form (per field) or as a message; 404 stays a 404."""
    if error.status == 404:
        raise Http404
    for field, errors in error.errors.items():
        for message in errors:
            if form is not None:
                form.add_error(field if field in form.fields else None, message)
            else:
                messages.error(request, message)


def breadcrumb(*entries) -> list[dict]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return [{"url": reverse("gestion:home"), "title": _("Back office")}, *entries]
