"""Settlement of engaged money by the cancellation table: what a file's ending restores, forfeits, refunds and owes
the organisation, and the details its event keeps. The moves that settle are in `endings` (before the training)
and `training` (during it)."""

import datetime
from decimal import Decimal

from django.utils import translation

from opencpf.dossiers import rules
from opencpf.dossiers.enums import SETTLEMENTS, Ending, Transition
from opencpf.dossiers.models import (
    Dossier,
    OrganisationPayment,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from opencpf.dossiers.params import dossier_parameters
from opencpf.dossiers.payments import PaymentProvider, payment_provider
from opencpf.dossiers.selectors import engagement_of
from opencpf.dossiers.services.core import ZERO
from opencpf.rights.enums import REASON_SEPARATOR
from opencpf.rights.services.settlement import rights_forfeit, rights_restore


def _by_bucket(pairs) -> dict:
    result: dict = {}
    for key, amount in pairs:
        if amount > 0:
            result[key] = result.get(key, ZERO) + amount
    return result


def _settle(
    dossier: Dossier,
    ending: Ending,
    *,
    now: datetime.datetime,
    reason: str,
    attendance: Decimal | None = None,
    provider: PaymentProvider | None = None,
    despite_expiry: bool = False,
) -> dict:
    """Restore, forfeit, refund and owe exactly what the row `ending` of the cancellation table says.
    `despite_expiry`: restored top-ups stay usable even if their expiry date passed meanwhile (a confirmed scam).

    Returns the fields to store on the file. What the organisation is paid comes out of the consumed money
    (forfeited rights and the card payment kept) in proportion, so that each euro paid has a source.
    """
    today = rules.paris_date(now)
    params = dossier_parameters(today)
    engagement = engagement_of(dossier)
    outcome = rules.cancellation_outcome(engagement, ending, params=params, attendance=attendance)
    consumed = [bucket.forfeited for bucket in outcome.buckets] + [outcome.card_kept]
    to_organisation = rules.split_pro_rata(outcome.organisation_payment, consumed)
    restore = _by_bucket((b.bucket_id, b.restored) for b in outcome.buckets)
    spent = _by_bucket((b.bucket_id, part) for b, part in zip(outcome.buckets, to_organisation, strict=False))
    lost = _by_bucket(
        (b.bucket_id, b.forfeited - part) for b, part in zip(outcome.buckets, to_organisation, strict=False)
    )
    # Stored as the English source so that the holder's history shows it in the language they read it in
    # (opencpf.rights.selectors translates it at display); the free reason is kept as written.
    with translation.override(None):
        label = str(Ending(ending).label)
    why = f"{label}{REASON_SEPARATOR}{reason}" if reason else label
    lost_to_cap = ZERO
    if restore:
        restoration = rights_restore(
            holder=dossier.holder,
            dossier_id=dossier.pk,
            on_date=today,
            by_bucket=restore,
            reason=why,
            despite_expiry=despite_expiry,
        )
        lost_to_cap = restoration.lost_to_cap
    pay_before = None
    if outcome.organisation_payment > 0:
        pay_before = rules.pay_before(today, params)
        payment = OrganisationPayment.objects.create(
            dossier=dossier,
            organisation_id=dossier.organisation_id,
            amount=outcome.organisation_payment,
            from_rights=sum(to_organisation[:-1], ZERO),
            from_card=to_organisation[-1],
            ending=ending,
            due_on=pay_before,
            created_at=now,
        )
        if spent:  # each euro of rights paid is a ledger row linked to this payment
            rights_forfeit(
                holder=dossier.holder,
                dossier_id=dossier.pk,
                on_date=today,
                by_bucket=spent,
                reason=why,
                organisation_payment_id=payment.pk,
            )
    if lost:
        rights_forfeit(holder=dossier.holder, dossier_id=dossier.pk, on_date=today, by_bucket=lost, reason=why)
    if outcome.holder_refund > 0:
        provider = provider or payment_provider()
        charge = Payment.objects.get(dossier=dossier, kind=PaymentKind.CHARGE, status=PaymentStatus.SUCCEEDED)
        refund = provider.refund(
            charge_reference=charge.provider_reference,
            amount=outcome.holder_refund,
            idempotency_key=f"dossier-{dossier.pk}-settle",
        )
        Payment.objects.create(
            dossier=dossier,
            kind=PaymentKind.REFUND,
            amount=refund.amount,
            status=PaymentStatus.SUCCEEDED,
            provider=charge.provider,
            provider_reference=refund.reference,
            card_last4=charge.card_last4,
            created_at=now,
        )
    return {
        "ending": ending,
        "settled_at": now,
        "restored_amount": outcome.restored - lost_to_cap,
        "forfeited_amount": outcome.forfeited + lost_to_cap,
        "holder_refund": outcome.holder_refund,
        "organisation_amount": outcome.organisation_payment,
        "pay_before": pay_before,
    }


def _settlement_details(fields: dict) -> dict:
    return {
        "ending": str(fields["ending"]),
        "restored": f"{fields['restored_amount']:.2f}",
        "forfeited": f"{fields['forfeited_amount']:.2f}",
        "refund": f"{fields['holder_refund']:.2f}",
        "organisation": f"{fields['organisation_amount']:.2f}",
    }


def _settle_move(dossier: Dossier, move: Transition, ending: Ending, **kwargs) -> dict:
    allowed = SETTLEMENTS.get((move.source, move.action))
    if allowed is None:
        return {}
    if ending not in allowed:  # pragma: no cover - a programming error, the table says which rows apply
        raise ValueError(f"{ending} does not settle {move.source} {move.action}")
    return _settle(dossier, ending, **kwargs)
