"""Reads of an organisation's payments for its finance work: filtered lists, totals per month, and the statement of
one payment as CSV (the columns an accounting tool imports)."""

import csv
import datetime
import io
from decimal import Decimal

from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from opencpf.catalogue.enums import OrganisationRole
from opencpf.catalogue.selectors import has_organisation_role, masked_iban
from opencpf.dossiers.models import OrganisationPayment, OrganisationPaymentStatus
from opencpf.dossiers.selectors import organisation_ids_of

ZERO = Decimal("0.00")


def payments_for(user, *, status: str | None = None, month: datetime.date | None = None) -> QuerySet:
    """The payments of the organisations `user` reads, newest first; `month` is the month paid (or due, not yet
    paid)."""
    ids = [i for i in organisation_ids_of(user) if has_organisation_role(user, i, OrganisationRole.READER)]
    payments = (
        OrganisationPayment.objects.filter(organisation_id__in=ids)
        .select_related("dossier", "organisation")
        .annotate(month=TruncMonth(Coalesce(TruncDate("paid_at"), "due_on", output_field=DateField())))
    )
    if status:
        payments = payments.filter(status=status)
    if month:
        payments = payments.filter(month=month.replace(day=1))
    return payments


def monthly_totals(payments: QuerySet) -> list[dict]:
    """Per month (newest first): number of payments, amount paid, amount still due or held."""
    rows = (
        payments.order_by()
        .values("month")
        .annotate(
            count=Count("id"),
            paid=Sum("amount", filter=Q(status=OrganisationPaymentStatus.PAID)),
            waiting=Sum("amount", filter=~Q(status=OrganisationPaymentStatus.PAID)),
        )
        .order_by("-month")
    )
    return [
        {
            "month": row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
            "count": row["count"],
            "paid": row["paid"] or ZERO,
            "waiting": row["waiting"] or ZERO,
        }
        for row in rows
    ]


STATEMENT_COLUMNS = [
    "organisation",
    "siret",
    "payment",
    "dossier",
    "training",
    "reason",
    "status",
    "due_on",
    "paid_on",
    "reference",
    "amount",
    "from_rights",
    "from_card",
    "iban",
]


def statement_csv(payment: OrganisationPayment) -> str:
    """One payment as a semicolon CSV (UTF-8, amounts with a dot and two decimals, dates ISO 8601)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(STATEMENT_COLUMNS)
    writer.writerow(
        [
            payment.organisation.name,
            payment.organisation.siret,
            payment.pk,
            payment.dossier_id,
            _safe(payment.dossier.offer_title),
            payment.ending,
            payment.status,
            payment.due_on.isoformat(),
            payment.paid_at.date().isoformat() if payment.paid_at else "",
            payment.reference,
            f"{payment.amount:.2f}",
            f"{payment.from_rights:.2f}",
            f"{payment.from_card:.2f}",
            masked_iban(payment.organisation.iban),
        ]
    )
    return out.getvalue()


def _safe(text: str) -> str:
    # A cell a spreadsheet would run as a formula is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
