"""Paying the organisation what a file owes it."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.dossiers.enums import (
    Action,
    Actor,
    transition,
)
from opencpf.dossiers.models import (
    Dossier,
    OrganisationPayment,
    OrganisationPaymentStatus,
)
from opencpf.dossiers.selectors import UNPAYABLE_STATUSES
from opencpf.dossiers.services.core import (
    DossierError,
    S,
    _apply,
    _lock,
    _now,
    frozen_error,
)


def _transfer_reference(payment: OrganisationPayment, now: datetime.datetime) -> str:
    return f"OPENCPF-{now:%Y%m%d}-{payment.pk}"


@transaction.atomic
def organisation_payment_pay(
    *, payment_id: int, user: User | None = None, now: datetime.datetime | None = None
) -> OrganisationPayment:
    """Pay the organisation what a file owes it (an agent, or the platform's periodic task with `user=None`).
    A completed file becomes `paid`. Refused while the organisation's payments are suspended; a payment held
    because the holder said the training did not take place is paid only by an agent."""
    now = _now(now)
    if user is not None and not user.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can pay an organisation."))
    payment = (
        OrganisationPayment.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise DossierError({"__all__": [_("This payment does not exist.")]}, status=404, code="not_found")
    if payment.status == OrganisationPaymentStatus.PAID:
        raise DossierError({"__all__": [_("This payment was already made.")]}, code="already_paid")
    if payment.status == OrganisationPaymentStatus.HELD and user is None:
        raise DossierError({"__all__": [_("This payment is held for an agent's review.")]}, code="held")
    if Dossier.objects.filter(pk=payment.dossier_id, frozen_at__isnull=False).exists():
        raise frozen_error()
    if payment.organisation.status in UNPAYABLE_STATUSES:
        raise DossierError(
            {"__all__": [_("The organisation's payments are suspended.")]}, code="organisation_payments_suspended"
        )
    reference = _transfer_reference(payment, now)
    updated = OrganisationPayment.objects.filter(pk=payment.pk, status=payment.status).update(
        status=OrganisationPaymentStatus.PAID, paid_at=now, paid_by=user, reference=reference
    )
    if updated != 1:  # pragma: no cover - the row is locked
        raise DossierError({"__all__": [_("This payment changed meanwhile.")]}, code="changed")
    payment.status, payment.paid_at, payment.paid_by, payment.reference = "paid", now, user, reference
    dossier = _lock(payment.dossier_id)
    if dossier.state == S.COMPLETED:
        actor = Actor.AGENT if user is not None else Actor.SYSTEM
        move = transition(S.COMPLETED, Action.PAY, actor)
        _apply(
            dossier,
            move,
            actor=actor,
            user=user,
            now=now,
            details={"amount": f"{payment.amount:.2f}", "reference": reference},
        )
    return payment


@transaction.atomic
def organisation_payment_hold(*, dossier_id: int, user: User, reason: str) -> OrganisationPayment | None:
    """An agent holds what a completed file owes its organisation (a confirmed scam on a file already settled):
    the periodic task no longer pays it; only an agent can, after review. None when nothing is due."""
    if user is None or not user.is_agent:
        raise PermissionDenied(_("Only an agent of the Caisse des Dépôts can do this."))
    payment = OrganisationPayment.objects.select_for_update().filter(dossier_id=dossier_id).first()
    if payment is None or payment.status != OrganisationPaymentStatus.DUE:
        return payment
    OrganisationPayment.objects.filter(pk=payment.pk, status=OrganisationPaymentStatus.DUE).update(
        status=OrganisationPaymentStatus.HELD
    )
    payment.status = OrganisationPaymentStatus.HELD
    from opencpf.accounts.services import audit

    audit(actor=user, action="organisation_payment_held", target=f"dossier:{dossier_id}", reason=reason)
    return payment
