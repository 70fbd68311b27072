"""Whole catalogue pages for visitors who are not signed in, cached.

A signed-out visitor's search results or offer page is the same for everyone in their language, apart from the
CSRF token of the page's forms (the language switch) and the CSP nonce of its scripts. The page is rendered once with
placeholders for both, kept under a catalogue key (`catalogue_cache_key`: the index's version and the day, so a
change of an offer shows at once), and each visitor gets it with their own token and nonce.
Two thirds of the busiest day's requests are such pages; the header, menus and footer cost more CPU than the
results themselves, so caching only the results was not enough.

Never cached: signed-in pages, non-GET requests, and a page with a flash message to show (it is shown once).
"""

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.csp import CONTEXT_KEY as CSP_CONTEXT_KEY
from django.utils.translation import get_language

from opencpf.catalogue.search import catalogue_cache_key

# Neither is a value Django could mint (tokens are 64 letters and digits, nonces URL-safe base64), nor a text a
# page could show.
CSRF_PLACEHOLDER = "__opencpf_csrf_token__"
NONCE_PLACEHOLDER = "__opencpf_csp_nonce__"
# Seconds a page is kept: its key changes with the index and the day; this bounds memory and what the index does
# not carry (an offer page's rating details, the day's funding limits).
PAGE_TTL = 60


def anonymous_page_key(request: HttpRequest, name: str, *parts: object) -> str | None:
    """The cache key of this page for a signed-out visitor, or None when the page must be rendered for the user."""
    if request.method != "GET" or request.user.is_authenticated or len(get_messages(request)):
        return None
    return catalogue_cache_key(f"page:{name}", get_language(), *parts)


def cached_page(request: HttpRequest, key: str | None) -> HttpResponse | None:
    html = caches["pages"].get(key) if key else None
    return None if html is None else _with_token(request, html)


def render_page(request: HttpRequest, key: str | None, template: str, context: dict) -> HttpResponse:
    """The page rendered for this request; kept under `key` (with the placeholder token) when there is one."""
    if key is None:
        return HttpResponse(render_to_string(template, context, request=request))
    placeholders = {"csrf_token": CSRF_PLACEHOLDER, CSP_CONTEXT_KEY: NONCE_PLACEHOLDER}
    html = render_to_string(template, {**context, **placeholders}, request=request)
    caches["pages"].set(key, html, PAGE_TTL)
    return _with_token(request, html)


def _with_token(request: HttpRequest, html: str) -> HttpResponse:
    # get_token also sets the CSRF cookie on the answer when the visitor has none yet, as {% csrf_token %} does;
    # reading the nonce puts it in this answer's Content-Security-Policy header, as a template using it does.
    html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(get_nonce(request)))
    return HttpResponse(html)
