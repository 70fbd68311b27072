"""Payments to organisations: which ones are due today, and an organisation's list."""

import datetime

from django.db.models import Q, QuerySet

from opencpf.accounts.models import User
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.selectors import bank_details_hold_threshold
from opencpf.dossiers import rules
from opencpf.dossiers.models import (
    OrganisationPayment,
    OrganisationPaymentStatus,
)
from opencpf.dossiers.selectors.access import organisation_ids_of

# --- lists -----------------------------------------------------------------------------------------------------


# An organisation whose payments are suspended or that is delisted is not paid until an agent lifts it.
# The sanctions ladder is cumulative: from "payments suspended" up, nothing is paid until an agent lifts it.
UNPAYABLE_STATUSES = frozenset(
    {OrganisationStatus.PAYMENTS_SUSPENDED, OrganisationStatus.PARTIALLY_DELISTED, OrganisationStatus.DELISTED}
)


def payments_payable(today: datetime.date) -> QuerySet[OrganisationPayment]:
    """The payments the periodic task pays today, for its dry and its wet run alike: due, to an organisation in
    good standing, on their due date at the latest or earlier once the holder confirmed the training took place.
    Held payments wait for an agent; a file frozen by a scam report is not paid until the report is decided."""
    start_of_day = datetime.datetime.combine(today, datetime.time(), tzinfo=rules.PARIS)
    return (
        OrganisationPayment.objects.filter(status=OrganisationPaymentStatus.DUE, dossier__frozen_at__isnull=True)
        .exclude(organisation__status__in=UNPAYABLE_STATUSES)
        # New bank details: wait (counted from the start of the task's day).
        .exclude(organisation__iban_changed_at__gt=bank_details_hold_threshold(start_of_day))
        .filter(Q(due_on__lte=today) | Q(dossier__took_place=True))
    )


def organisation_payments(user: User) -> QuerySet[OrganisationPayment]:
    return (
        OrganisationPayment.objects.filter(organisation_id__in=organisation_ids_of(user))
        .select_related("dossier", "organisation")
        .order_by("status", "due_on", "id")
    )
