"""The organisation's work list of training files (/dossiers/organisme/): filters, search, nearest deadline first,
a page at a time. The API's `GET /api/v1/organisation/dossiers` reads the same selector."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.catalogue.models import Offer, Session
from opencpf.dossiers import rules, worklist
from opencpf.dossiers.enums import DossierState
from opencpf.utils.formatting import long_date
from opencpf.www.dossiers_views.forms import WorklistFilterForm
from opencpf.www.dossiers_views.views.common import dossier_row

PAGE_SIZE = 25


@login_required
def organisation_worklist(request):
    organisations = worklist.organisations_reading_files(request.user)
    if not organisations:
        raise PermissionDenied(
            _("Reading training files needs the files-manager or the reader role in the organisation.")
        )
    today = rules.paris_date(timezone.now())
    counts = worklist.state_counts(request.user)
    offers = Offer.objects.filter(organisation_id__in=organisations).order_by("title", "id").values_list("id", "title")
    chosen_offer = request.GET.get("offer", "")
    sessions = []
    if chosen_offer.isdigit() and len(chosen_offer) < 19:
        sessions = [
            (session.pk, f"{long_date(session.start_date)} – {long_date(session.end_date)} · {session.place_label}")
            for session in Session.objects.filter(
                offer_id=int(chosen_offer), offer__organisation_id__in=organisations
            ).order_by("start_date", "id")
        ]
    states = [(state.value, f"{state.label} ({counts.get(state.value, 0)})") for state in DossierState]
    form = WorklistFilterForm(request.GET or None, states=states, offers=list(offers), sessions=sessions)
    status = 200
    filters = worklist.WorklistFilters()
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = worklist.WorklistFilters(
                state=data["state"] or None,
                offer_id=data["offer"],
                session_id=data["session"],
                start_after=data["start_after"],
                start_before=data["start_before"],
                deadline_before=data["deadline_before"],
                q=data["q"],
            )
        else:
            status = 400
    page = Paginator(worklist.organisation_worklist(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return render(
        request,
        "dossiers/organisation_worklist.html",
        {
            "page_title": _("Training files of my organisation"),
            "form": form,
            "page_obj": page,
            "rows": [dossier_row(dossier, "organisation", today) for dossier in page.object_list],
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "state_links": [
                (state.value, state.label, counts[state.value]) for state in DossierState if counts.get(state)
            ],
        },
        status=status,
    )
