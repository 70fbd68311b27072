"""The organisation's catalogue on the web: its offers, published or closed, the CSV export and import with a
line-by-line report. Writes go through `catalogue.services.offers` (roles, rules, audit, search)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.models import Offer
from opencpf.catalogue.selectors import has_organisation_role
from opencpf.catalogue.services import catalogue_csv, offers
from opencpf.utils.client import client_ip
from opencpf.www.organisations_views.forms import CatalogueFilterForm, CatalogueImportForm, OfferForm, SessionForm
from opencpf.www.organisations_views.staff import _organisation, _show_errors

PAGE_SIZE = 50


def _url(organisation) -> str:
    return f"{reverse('organisations:catalogue')}?organisation={organisation.pk}"


@login_required
def catalogue(request, *, import_form=None, report=None):
    organisation = _organisation(request)
    filters = CatalogueFilterForm(data=request.GET or None)
    rows = Offer.objects.filter(organisation=organisation).select_related("certification").order_by("-id")
    if filters.is_valid():
        if filters.cleaned_data.get("q"):
            rows = rows.filter(title__icontains=filters.cleaned_data["q"])
        if filters.cleaned_data.get("status"):
            rows = rows.filter(is_active=filters.cleaned_data["status"] == "published")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "manager": has_organisation_role(request.user, organisation.pk, OrganisationRole.CATALOGUE_MANAGER),
        "filters": filters,
        "page": page,
        "import_form": import_form or CatalogueImportForm(),
        "report": report,
        "page_title": _("Catalogue of %(organisation)s") % {"organisation": organisation.name},
        "breadcrumb": [{"url": reverse("dossiers:organisation_requests"), "title": _("Training files")}],
    }
    return render(request, "organisations/catalogue.html", context)


@login_required
@require_POST
def offer_action(request, offer_id: int, action: str):
    organisation = _organisation(request)
    service = {"publier": offers.offer_publish, "fermer": offers.offer_close}.get(action)
    if service is None or not Offer.objects.filter(pk=offer_id, organisation=organisation).exists():
        raise Http404
    try:
        service(actor=request.user, offer_id=offer_id, ip=client_ip(request))
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Offer published.") if action == "publier" else _("Offer closed."))
    return redirect(_url(organisation))


@login_required
def export(request):
    organisation = _organisation(request)
    text = catalogue_csv.catalogue_export_csv(actor=request.user, organisation=organisation)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{organisation.siret}.csv"'
    return response


@login_required
@require_POST
def import_csv(request):
    organisation = _organisation(request)
    form = CatalogueImportForm(data=request.POST, files=request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(catalogue_csv.MAX_IMPORT_BYTES + 1)
        report = catalogue_csv.catalogue_import_csv(
            actor=request.user, organisation=organisation, raw=raw, ip=client_ip(request)
        )
    return catalogue(request, import_form=form, report=report)


@login_required
def offer_new(request):
    organisation = _organisation(request)
    form = OfferForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offers.offer_create(
                actor=request.user, organisation=organisation, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            _show_errors(request, _renamed(error), form)
        else:
            messages.success(request, _("Offer created, not published yet: add its sessions, then publish it."))
            return redirect(f"{reverse('organisations:session_new', args=[offer.pk])}?organisation={organisation.pk}")
    context = {
        "form": form,
        "organisation": organisation,
        "page_title": _("New offer"),
        "breadcrumb": [{"url": _url(organisation), "title": _("Catalogue")}],
    }
    return render(request, "organisations/form.html", context, status=400 if form.errors else 200)


@login_required
def session_new(request, offer_id: int):
    organisation = _organisation(request)
    offer = Offer.objects.filter(pk=offer_id, organisation=organisation).first()
    if offer is None:
        raise Http404
    form = SessionForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offers.session_create(actor=request.user, offer_id=offer.pk, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            _show_errors(request, error, form)
        else:
            messages.success(request, _("Session added."))
            return redirect(_url(organisation))
    context = {
        "form": form,
        "organisation": organisation,
        "intro": offer.title,
        "page_title": _("New session"),
        "breadcrumb": [{"url": _url(organisation), "title": _("Catalogue")}],
    }
    return render(request, "organisations/form.html", context, status=400 if form.errors else 200)


def _renamed(error: ValidationError) -> ValidationError:
    """The service names the certification `certification`; the form's field is `certification_code`."""
    errors = error.message_dict
    if "certification" in errors:
        errors["certification_code"] = errors.pop("certification")
    return ValidationError(errors)
