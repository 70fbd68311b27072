"""The funder space at /financeur/ (DESIGN §2.8): what became of the money credited, a credit form, a CSV upload
with its line-by-line report, the CSV export, and the file top-up requests to answer; and the holder's request for
a file top-up, from the acceptance page (/abondement/<file>/). Only a funder acting for an organisation gets in the
funder space (403 for any other signed-in user); every write goes through `opencpf.funders.services`."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.enums import Role
from opencpf.dossiers.models import Dossier
from opencpf.dossiers.selectors import funding_for
from opencpf.funders import csv_format, selectors, services
from opencpf.funders.enums import FileTopUpStatus
from opencpf.funders.letters import employer_letter
from opencpf.funders.models import FileTopUpRequest, FunderOrganisation
from opencpf.www.funders_views.forms import AskForm, CreditForm, GrantForm, ImportForm, RefuseForm


def _organisation(request):
    organisation = selectors.funder_of(request.user)
    if organisation is None:
        raise PermissionDenied(_("This page is for funders."))
    return organisation


def _breadcrumb():
    return [{"url": reverse("funders:home"), "title": _("Funder space")}]


@login_required
def home(request):
    organisation = _organisation(request)
    return render(
        request,
        "funders/home.html",
        {
            "page_title": _("Funder space"),
            "organisation": organisation,
            "report": selectors.funder_report(organisation),
            "credits": selectors.funder_credits(organisation, limit=50),
        },
    )


@login_required
def credit_new(request):
    organisation = _organisation(request)
    form = CreditForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                credit = services.credit_add(
                    organisation=organisation,
                    user=request.user,
                    nir=data["nir"],
                    last_name=data["last_name"],
                    amount=data["amount"],
                    earmark_certifications=data["earmark_certifications"].replace(",", " ").split(),
                    expires_on=data["expires_on"],
                    return_unused=data["return_unused"],
                )
            except services.CreditError as error:
                for name, errors in error.errors.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("%(amount)s € credited to %(name)s.")
                    % {"amount": f"{credit.top_up.amount:.2f}", "name": credit.top_up.holder.full_name},
                )
                return redirect("funders:home")
        status = 400
    return render(
        request,
        "funders/credit_form.html",
        {"page_title": _("Credit a holder"), "breadcrumb": _breadcrumb(), "form": form, "organisation": organisation},
        status=status,
    )


@login_required
def credit_import(request):
    organisation = _organisation(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read(csv_format.MAX_BYTES + 1)
            report = services.credits_import(
                organisation=organisation,
                user=request.user,
                raw=raw,
                filename=upload.name,
                skip_invalid=form.cleaned_data["skip_invalid"],
                wet_run=form.cleaned_data["wet_run"],
            )
            if report.file_errors or (report.invalid and not report.written):
                status = 400
        else:
            status = 400
    return render(
        request,
        "funders/import.html",
        {
            "page_title": _("Credit holders from a CSV file"),
            "breadcrumb": _breadcrumb(),
            "form": form,
            "report": report,
            "columns": csv_format.COLUMNS,
        },
        status=status,
    )


@login_required
def report_csv(request):
    organisation = _organisation(request)
    report = selectors.funder_report(organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="financements.csv"'
    response.write("\ufeff")  # the BOM French spreadsheets need to read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["holder", "nir", "credited", "used", "expired", "returned", "available"])
    for line in report.holders:
        writer.writerow([_safe(line.name), line.masked_nir, *_amounts(line.money)])
    writer.writerow([_("Total"), "", *_amounts(report.total)])
    return response


def _amounts(money: selectors.MoneyLine) -> list[str]:
    return [f"{value:.2f}" for value in (money.credited, money.used, money.expired, money.returned, money.available)]


def _safe(text: str) -> str:
    """No formula injection in a spreadsheet: a cell never starts with = + - @."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# --- file top-ups ---------------------------------------------------------------------------------------------


def _add_errors(form, error: services.CreditError) -> None:
    for name, messages_ in error.errors.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _holder_dossier(request, dossier_id: int) -> Dossier:
    holder = getattr(request.user, "holder", None) if request.user.role == Role.HOLDER else None
    if holder is None:
        raise PermissionDenied(_("This page is for account holders."))
    return get_object_or_404(
        Dossier.objects.select_related("offer__organisation", "session"), pk=dossier_id, holder=holder
    )


@login_required
def holder_employer_letter(request, dossier_id: int):
    """The PDF letter asking the employer for an allocation, with the training and the amount missing."""
    dossier = _holder_dossier(request, dossier_id)
    letter = employer_letter(dossier=dossier, on_date=timezone.localdate())
    if letter is None:
        messages.info(request, _("Your rights already cover this training: there is nothing to ask."))
        return redirect("file_top_ups:ask", dossier_id=dossier.pk)
    response = HttpResponse(letter[0], content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="demande-abondement-{dossier.pk}.pdf"'
    return response


@login_required
def holder_file_top_up(request, dossier_id: int):
    """From the acceptance page: the holder asks a funder to cover what their rights leave unpaid."""
    dossier = _holder_dossier(request, dossier_id)
    form = AskForm(request.POST or None, organisations=FunderOrganisation.objects.order_by("name"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.file_top_up_request(
                    user=request.user,
                    dossier_id=dossier.pk,
                    organisation_id=form.cleaned_data["organisation"].pk,
                    message=form.cleaned_data["message"],
                )
            except services.CreditError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your request was sent. Accept the proposal after the funder's answer, before its deadline."),
                )
                return redirect("dossiers:detail", dossier_id=dossier.pk)
        status = 400
    return render(
        request,
        "funders/ask.html",
        {
            "page_title": _("Ask a funder to cover the rest"),
            "dossier": dossier,
            "form": form,
            "requests": selectors.file_requests_for_dossier(dossier),
            "funding": funding_for(dossier, on=timezone.localdate()),
        },
        status=status,
    )


@login_required
def file_requests(request):
    organisation = _organisation(request)
    return render(
        request,
        "funders/file_requests.html",
        {
            "page_title": _("File top-up requests"),
            "breadcrumb": _breadcrumb(),
            "requests": selectors.file_requests_for(organisation),
        },
    )


@login_required
def file_request_detail(request, request_id: int):
    organisation = _organisation(request)
    file_request = get_object_or_404(
        FileTopUpRequest.objects.select_related("dossier", "holder"), pk=request_id, organisation=organisation
    )
    grant, refuse = GrantForm(prefix="grant"), RefuseForm(prefix="refuse")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form = (
            GrantForm(request.POST, prefix="grant") if action == "grant" else RefuseForm(request.POST, prefix="refuse")
        )
        if form.is_valid():
            try:
                if action == "grant":
                    services.file_top_up_grant(
                        user=request.user, request_id=file_request.pk, amount=form.cleaned_data["amount"]
                    )
                else:
                    services.file_top_up_refuse(
                        user=request.user, request_id=file_request.pk, reason=form.cleaned_data["reason"]
                    )
            except services.CreditError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your answer was recorded."))
                return redirect("funders:file_requests")
        grant, refuse = (form, refuse) if action == "grant" else (grant, form)
        status = 400
    ceiling = None
    if file_request.status == FileTopUpStatus.REQUESTED:
        ceiling = services.file_top_up_ceiling(
            dossier=file_request.dossier, funder_kind=organisation.kind, on_date=timezone.localdate()
        )
    return render(
        request,
        "funders/file_request.html",
        {
            "page_title": _("File top-up request"),
            "breadcrumb": _breadcrumb()
            + [{"url": reverse("funders:file_requests"), "title": _("File top-up requests")}],
            "file_request": file_request,
            "ceiling": ceiling,
            "grant_form": grant,
            "refuse_form": refuse,
        },
        status=status,
    )
