"""File top-ups ("abondements", DESIGN §2.2): a holder asks a funder to cover what their rights leave unpaid on
a proposal; the funder grants (a file top-up through `rights.services.topup_add`) or refuses."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import Dossier
from opencpf.funders import notifications
from opencpf.funders.enums import FileTopUpStatus
from opencpf.funders.models import FileTopUpRequest, FunderCredit, FunderMember, FunderOrganisation
from opencpf.funders.selectors import file_top_up_ceiling
from opencpf.funders.services.credits import CreditError, parse_amount
from opencpf.rights.services.core import RightsError
from opencpf.rights.services.top_ups import topup_add


def _awaiting_acceptance(dossier: Dossier) -> bool:
    return dossier.state == DossierState.PROPOSED


@transaction.atomic
def file_top_up_request(
    *, user: User, dossier_id: int, organisation_id: int, message: str = "", on_date: datetime.date | None = None
) -> FileTopUpRequest:
    """The holder asks a funder to cover what their rights leave unpaid on a proposal awaiting their acceptance."""
    on_date = on_date or timezone.localdate()
    holder = getattr(user, "holder", None)
    dossier = Dossier.objects.filter(pk=dossier_id, holder=holder).first() if holder else None
    if dossier is None:
        raise Http404
    organisation = FunderOrganisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise CreditError({"organisation": [_("Choose a funder from the list.")]})
    if not _awaiting_acceptance(dossier):
        raise CreditError({"__all__": [_("A funder can only be asked while the proposal awaits your acceptance.")]})
    ceiling = file_top_up_ceiling(dossier=dossier, funder_kind=organisation.kind, on_date=on_date)
    if ceiling <= 0:
        raise CreditError({"__all__": [_("Your rights already cover this training: there is nothing to ask.")]})
    if FileTopUpRequest.objects.filter(
        dossier=dossier, organisation=organisation, status=FileTopUpStatus.REQUESTED
    ).exists():
        raise CreditError({"organisation": [_("You already asked this funder: wait for the answer.")]})
    request = FileTopUpRequest.objects.create(
        holder=holder,
        dossier=dossier,
        organisation=organisation,
        amount_asked=ceiling,
        message=(message or "").replace("\x00", "")[:1000],
    )
    audit(actor=user, action="file_top_up_requested", target=f"dossier:{dossier.pk}", funder=organisation.pk)
    notifications.notify(request.pk, "funder")
    return request


def _open_request(user: User, request_id: int) -> FileTopUpRequest:
    organisation = FunderMember.objects.filter(user=user).values_list("organisation_id", flat=True).first()
    request = (
        FileTopUpRequest.objects.select_for_update()
        .select_related("dossier", "holder", "organisation")
        .filter(pk=request_id, organisation_id=organisation)
        .first()
    )
    if organisation is None or request is None:
        raise Http404
    if request.status != FileTopUpStatus.REQUESTED:
        raise CreditError({"__all__": [_("This request was already answered.")]})
    return request


@transaction.atomic
def file_top_up_grant(
    *, user: User, request_id: int, amount, on_date: datetime.date | None = None
) -> FileTopUpRequest:
    """The funder covers `amount` (at most the ceiling today) of the file: a file top-up, through `topup_add`.
    The holder then accepts within the proposal's deadline; the plan uses the top-up last."""
    on_date = on_date or timezone.localdate()
    request = _open_request(user, request_id)
    parsed = parse_amount(amount)
    if isinstance(parsed, str):
        raise CreditError({"amount": [parsed]})
    if not _awaiting_acceptance(request.dossier):
        raise CreditError({"__all__": [_("This proposal no longer awaits the holder's acceptance.")]})
    ceiling = file_top_up_ceiling(dossier=request.dossier, funder_kind=request.organisation.kind, on_date=on_date)
    if parsed > ceiling:
        raise CreditError(
            {"amount": [_("At most %(ceiling)s € are left to cover on this file.") % {"ceiling": f"{ceiling:.2f}"}]}
        )
    try:
        top_up = topup_add(
            holder=request.holder,
            amount=parsed,
            funder_kind=request.organisation.kind,
            funder_name=request.organisation.name,
            created_by=user,
            for_dossier_id=request.dossier.pk,
            # Unused when the proposal lapses: it goes back to the funder the day after the acceptance deadline.
            expires_on=request.dossier.accept_before,
            on_date=on_date,
        )
    except RightsError as error:
        raise CreditError({"__all__": [str(error)]})
    FunderCredit.objects.create(
        organisation=request.organisation, top_up=top_up, created_by=user, source=f"dossier:{request.dossier.pk}"
    )
    request.status, request.amount_granted, request.top_up = FileTopUpStatus.GRANTED, parsed, top_up
    request.answered_by, request.answered_at = user, timezone.now()
    request.save()
    audit(actor=user, action="file_top_up_granted", target=f"dossier:{request.dossier.pk}", amount=f"{parsed:.2f}")
    notifications.notify(request.pk, "holder")
    return request


@transaction.atomic
def file_top_up_refuse(*, user: User, request_id: int, reason: str) -> FileTopUpRequest:
    request = _open_request(user, request_id)
    reason = (reason or "").replace("\x00", "").strip()[:1000]
    if not reason:
        raise CreditError({"reason": [_("Give the reason, for the holder.")]})
    request.status, request.reason = FileTopUpStatus.REFUSED, reason
    request.answered_by, request.answered_at = user, timezone.now()
    request.save()
    audit(actor=user, action="file_top_up_refused", target=f"dossier:{request.dossier_id}")
    notifications.notify(request.pk, "holder")
    return request
