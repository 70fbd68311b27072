"""The payments to the organisation: listed with totals per month, and the statement of one as a CSV."""

import datetime
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from opencpf.api.errors import ApiError
from opencpf.api.organisation.common import READ, staff_organisation_ids
from opencpf.api.pagination import CursorQuery, paginate
from opencpf.api.schemas import Detail, Errors, Id, Money
from opencpf.dossiers import statements
from opencpf.dossiers.models import OrganisationPaymentStatus

router = Router()


class PaymentsQuery(CursorQuery):
    status: Literal[tuple(OrganisationPaymentStatus.values)] | None = None  # type: ignore[valid-type]
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM: paid (or due) that month")


class PaymentOut(Schema):
    id: int
    dossier_id: int
    organisation_id: int
    training: str
    reason: str
    status: str
    amount: Money
    from_rights: Money
    from_card: Money
    due_on: datetime.date
    paid_at: datetime.datetime | None
    reference: str


class MonthTotalOut(Schema):
    month: str
    count: int
    paid: Money
    waiting: Money


class PaymentsOut(Schema):
    count: int
    next_cursor: str | None
    totals: list[MonthTotalOut]
    results: list[PaymentOut]


def _payment_json(payment) -> dict:
    return {
        "id": payment.pk,
        "dossier_id": payment.dossier_id,
        "organisation_id": payment.organisation_id,
        "training": payment.dossier.offer_title,
        "reason": payment.ending,
        "status": payment.status,
        "amount": payment.amount,
        "from_rights": payment.from_rights,
        "from_card": payment.from_card,
        "due_on": payment.due_on,
        "paid_at": payment.paid_at,
        "reference": payment.reference,
    }


@router.get(
    "/organisation/payments",
    response={200: PaymentsOut, **READ},
    summary="Payments to my organisation, with totals per month",
    operation_id="opencpf_api_organisation_list_payments",
)
def list_payments(request, query: Query[PaymentsQuery]):
    staff_organisation_ids(request)
    month = None
    if query.month:
        try:
            month = datetime.date.fromisoformat(query.month + "-01")
        except ValueError:
            raise ApiError(400, {"month": [_("Enter a month as YYYY-MM.")]})
    payments = statements.payments_for(request.auth, status=query.status, month=month)
    items, cursor, count = paginate(payments, query)
    totals = [{**row, "month": row["month"].strftime("%Y-%m")} for row in statements.monthly_totals(payments)]
    return {"count": count, "next_cursor": cursor, "totals": totals, "results": [_payment_json(p) for p in items]}


@router.get(
    "/organisation/payments/{payment_id}/statement.csv",
    response={200: None, 400: Errors, 401: Detail, 403: Detail, 404: Detail},
    summary="Statement of one payment (semicolon CSV)",
    operation_id="opencpf_api_organisation_payment_statement",
)
def payment_statement(request, payment_id: Id):
    staff_organisation_ids(request)
    payment = statements.payments_for(request.auth).filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    response = HttpResponse(statements.statement_csv(payment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="paiement-{payment.pk}.csv"'
    return response
