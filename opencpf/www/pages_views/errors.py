"""Error pages: the DSFR layout in the visitor's language, what happened in plain words and a way back. The 500
page renders without the request's context: the database or the session may be what failed."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.context_processors import csp
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opencpf.www.context_processors import SITE_CONFIG


def _error(request, status: int, title: str, template: str = "errors/error.html", **context):
    context = {"page_title": title, "status": status, **context}
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return _error(request, 413, _("What you sent is too large"), kind="too_large")
    return _error(request, 400, _("The request could not be read"), kind="bad_request")


def permission_denied(request, exception=None):
    return _error(request, 403, _("Access denied"), kind="forbidden")


def page_not_found(request, exception=None):
    return _error(request, 404, _("Page not found"), kind="not_found")


def csrf_failure(request, reason=""):
    # The reason stays in the logs (Django logs it): it speaks of tokens, not of what the visitor can do.
    return _error(request, 403, _("The page has expired"), kind="csrf")


def server_error(request):
    context = {
        "page_title": _("Something went wrong on our side"),
        "SITE_CONFIG": SITE_CONFIG,
        "LANGUAGE_CODE": get_language(),
        **csp(request),  # the nonce of the design system's scripts, read from the request alone
    }
    return HttpResponseServerError(loader.get_template("errors/500.html").render(context))
