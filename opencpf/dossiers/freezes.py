"""Freezing a training file while a scam report is reviewed (DESIGN §2.6), and releasing it.

A frozen file (`Dossier.frozen_at`) refuses every move (the core answers 409 `frozen`), is skipped by the deadline
task, and its organisation is not paid. Released after a rejected report, every deadline still ahead of the file
moves back by the business days it spent frozen, so that nobody loses time to a report they did not file."""

import datetime

from django.db import transaction

from opencpf.dossiers.enums import DEADLINES
from opencpf.dossiers.models import Dossier, OrganisationPayment, OrganisationPaymentStatus
from opencpf.dossiers.rules import paris_date
from opencpf.utils.business_days import add_business_days, business_days_between

SHIFTED_DEADLINES = tuple(DEADLINES.values())


@transaction.atomic
def dossier_freeze(*, dossier_id: int, now: datetime.datetime) -> bool:
    """Freeze the file; False if it already was."""
    return bool(Dossier.objects.filter(pk=dossier_id, frozen_at__isnull=True).update(frozen_at=now, updated_at=now))


@transaction.atomic
def dossier_unfreeze(*, dossier_id: int, now: datetime.datetime) -> int:
    """Release the file and shift its deadlines by the business days it was frozen; returns that number."""
    dossier = Dossier.objects.select_for_update(of=("self",)).filter(pk=dossier_id).first()
    if dossier is None or dossier.frozen_at is None:
        return 0
    shift = max(0, business_days_between(paris_date(dossier.frozen_at), paris_date(now)))
    fields = {"frozen_at": None, "updated_at": now}
    if shift:
        frozen_on = paris_date(dossier.frozen_at)
        for name in SHIFTED_DEADLINES:
            deadline = getattr(dossier, name)
            if deadline is not None and deadline >= frozen_on:
                fields[name] = add_business_days(deadline, shift)
        payment = OrganisationPayment.objects.filter(dossier=dossier, status=OrganisationPaymentStatus.DUE).first()
        if payment is not None and payment.due_on >= frozen_on:
            payment.due_on = add_business_days(payment.due_on, shift)
            payment.save(update_fields=["due_on"])
    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    return shift
