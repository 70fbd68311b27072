from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from opencpf.dossiers import statements


@login_required
def statement(request, payment_id: int):
    """The CSV statement of one payment of the user's organisations."""
    payment = statements.payments_for(request.user).filter(pk=payment_id).first()
    if payment is None:
        raise Http404
    response = HttpResponse(statements.statement_csv(payment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="paiement-{payment.pk}.csv"'
    return response
