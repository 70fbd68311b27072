from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opencpf.catalogue.enums import CertificationKind, Modality
from opencpf.catalogue.search import (
    MAX_PAGE,
    SearchInputError,
    catalogue_cache_key,
    parse_search_params,
    search_offers,
)
from opencpf.catalogue.selectors import offer_public_detail, organisation_public_detail
from opencpf.dossiers.selectors import offer_funding_estimate, offer_funding_limits, open_files_by_session
from opencpf.www.catalogue_views.forms import SearchForm
from opencpf.www.page_cache import PAGE_TTL, anonymous_page_key, cached_page, render_page

_SEARCH_FIELDS = tuple(SearchForm.base_fields)
# Fields that are not filters: the keywords stay in sight, the sort and radius always have a value.
_NOT_FILTERS = ("q", "sort", "radius_km", "page")


def _page_links(page: int, num_pages: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 42: page numbers around the current one, None for a gap."""
    wanted = {1, num_pages, *range(page - 2, page + 3)}
    links: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= num_pages):
        if links and links[-1] is not None and number > links[-1] + 1:
            links.append(None)
        links.append(number)
    return links


@require_GET
def search(request):
    partial = request.htmx and not request.htmx.boosted
    page_key = None if partial else anonymous_page_key(request, "search", request.get_full_path())
    if (page := cached_page(request, page_key)) is not None:
        return page
    data = request.GET
    submitted = any(data.get(name) for name in _SEARCH_FIELDS if name not in ("sort", "radius_km", "page"))
    form = SearchForm(data=data if submitted else None)
    errors: dict[str, list[str]] = {}
    results_html = None
    cache_key = catalogue_cache_key("results", get_language(), request.get_full_path()) if submitted else None
    if cache_key:
        results_html = caches["pages"].get(cache_key)
    if results_html is None:
        result = None
        if submitted:
            try:
                result = search_offers(parse_search_params(data))
            except SearchInputError as error:
                errors = error.errors
                form.mark_invalid(errors)
        results_html = _results_html(data, result, errors, form)
        if cache_key and not errors:  # a refused search marks the form too: always rendered afresh
            caches["pages"].set(cache_key, results_html, PAGE_TTL)
    if partial:
        return HttpResponse(results_html)
    context = {
        "page_title": _("Find a training"),
        "form": form,
        "results_html": mark_safe(results_html),  # rendered by the template engine (_results.html), escaped there
        "active_filters": sum(1 for name in _SEARCH_FIELDS if name not in _NOT_FILTERS and data.get(name)),
        "submitted": submitted,
    }
    # A refused search marks the form: rendered afresh each time, never kept.
    return render_page(request, None if errors else page_key, "catalogue/search.html", context)


def _results_html(data, result, errors: dict, form: SearchForm) -> str:
    """The results part of the search page (also the htmx answer): nothing in it depends on the user."""
    query = data.copy()
    query.pop("page", None)
    context = {
        "result": result,
        "errors": errors,
        "error_list": form.error_list(errors),
        "query_string": query.urlencode(),
        "page_links": _page_links(result.params.page, result.num_pages) if result and result.count else [],
        "max_page": MAX_PAGE,
    }
    return render_to_string("catalogue/_results.html", context)


@require_GET
def offer(request, offer_id: int):
    # Signed out, the page is the same for everyone: cached whole. Signed in, it shows the holder's files and estimate.
    page_key = anonymous_page_key(request, "offer", offer_id)
    if (page := cached_page(request, page_key)) is not None:
        return page
    context = {
        **_offer_context(request, offer_id),
        "breadcrumb": [{"url": reverse("catalogue:search"), "title": _("Find a training")}],
    }
    return render_page(request, page_key, "catalogue/offer.html", context)


def _offer_context(request, offer_id: int) -> dict:
    """What an offer's page shows (catalogue/_offer_body.html)."""
    offer = offer_public_detail(offer_id)
    if offer is None:
        raise Http404
    today = timezone.localdate()
    holder = (
        getattr(request.user, "holder", None) if request.user.is_authenticated and request.user.is_holder else None
    )
    # The holder's open files on this offer: their sessions link to the file instead of a registration that the
    # one-open-file-per-session rule would refuse.
    registered = open_files_by_session(request.user, offer.pk) if holder else {}
    rating_labels = {
        "welcome": _("Welcome"),
        "content": _("Content"),
        "trainers": _("Trainers"),
        "resources": _("Resources"),
        "support": _("Support"),
    }
    return {
        "page_title": offer.title,
        "offer": offer,
        "sessions": [(session, registered.get(session.pk)) for session in offer.upcoming_sessions],
        # Visitors and holders register (or see their file); organisation staff and agents only read.
        "registration_column": not request.user.is_authenticated or request.user.is_holder,
        "rating_details": [
            (rating_labels.get(name, name), value) for name, value in (offer.rating_details or {}).items()
        ],
        "modalities": dict(Modality.choices),
        "kinds": dict(CertificationKind.choices),
        "funding_limits": offer_funding_limits(offer, on=today),
        # For a holder: what their rights would cover at the published price, and the files they already have.
        "estimate": offer_funding_estimate(holder, offer, on=today) if holder else None,
    }


@require_GET
def organisation(request, organisation_id: int):
    found = organisation_public_detail(organisation_id)
    if found is None:
        raise Http404
    organisation, offers, rating = found
    return render(
        request,
        "catalogue/organisation.html",
        {
            "page_title": organisation.name,
            "breadcrumb": [{"url": reverse("catalogue:search"), "title": _("Find a training")}],
            "organisation": organisation,
            "offers": offers,
            "rating": rating,
            "modalities": dict(Modality.choices),
        },
    )
