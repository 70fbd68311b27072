"""Settlement of the engaged money: the cancellation table of DESIGN §2.3."""

import dataclasses
from decimal import Decimal

from opencpf.dossiers.enums import Ending
from opencpf.dossiers.rules.funding import EngagedMoney
from opencpf.dossiers.rules.money import ZERO, BucketId, _share, round_cents, split_pro_rata
from opencpf.dossiers.rules.parameters import DossierParameters
from opencpf.rights.enums import Bucket

# --- Settlement: the cancellation table of DESIGN §2.3 ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BucketSettlement:
    bucket_id: BucketId
    kind: Bucket
    engaged: Decimal
    restored: Decimal  # credited back to the same bucket (a top-up goes back to its funder's bucket)
    forfeited: Decimal  # consumed: spent on the OF's payment or lost (engaged = restored + forfeited)


@dataclasses.dataclass(frozen=True)
class Outcome:
    ending: Ending
    price: Decimal
    buckets: tuple[BucketSettlement, ...]
    card_paid: Decimal
    holder_refund: Decimal  # card money given back to the holder
    organisation_payment: Decimal  # what the platform pays the OF

    @property
    def restored(self) -> Decimal:
        return sum((bucket.restored for bucket in self.buckets), ZERO)

    @property
    def forfeited(self) -> Decimal:
        return sum((bucket.forfeited for bucket in self.buckets), ZERO)

    @property
    def card_kept(self) -> Decimal:
        return self.card_paid - self.holder_refund

    @property
    def consumed(self) -> Decimal:
        """Engaged money not given back (rights forfeited and card money kept)."""
        return self.forfeited + self.card_kept

    @property
    def kept_by_fund(self) -> Decimal:
        """Consumed but not paid to the OF: lost rights stay with the fund that financed them."""
        return self.consumed - self.organisation_payment


def organisation_payment_share(attendance: Decimal, params: DossierParameters) -> Decimal:
    """Share of the price paid to the OF for an attendance (or completion) share (DESIGN §2.3): at least the
    abandonment minimum share, pro rata up to the full-payment threshold included, in full above it."""
    attendance = _share(attendance, "attendance")
    if attendance > params.abandonment_full_share_above:
        return Decimal(1)
    return max(attendance, params.abandonment_minimum_share)


def _settle(engagement: EngagedMoney, ending: Ending, *, consumed: Decimal, organisation_payment: Decimal) -> Outcome:
    # Whatever is consumed is taken from every source in proportion (buckets and card alike): neither the funders
    # nor the holder bear a partial loss before the others.
    sources = [allocation.amount for allocation in engagement.buckets] + [engagement.card_paid]
    taken = split_pro_rata(consumed, sources)
    return Outcome(
        ending=ending,
        price=engagement.price,
        buckets=tuple(
            BucketSettlement(allocation.bucket_id, allocation.kind, allocation.amount, allocation.amount - part, part)
            for allocation, part in zip(engagement.buckets, taken, strict=False)
        ),
        card_paid=engagement.card_paid,
        holder_refund=engagement.card_paid - taken[-1],
        organisation_payment=organisation_payment,
    )


def cancellation_outcome(
    engagement: EngagedMoney,
    ending: Ending,
    *,
    params: DossierParameters,
    attendance: Decimal | None = None,
) -> Outcome:
    """Settle the engaged money of a file by a row of DESIGN §2.3's table (or by its normal completion).

    `attendance` is the share of the training followed (abandonment, force majeure) or the completion share
    declared with "service fait" (completion); it is required for those and refused for the other rows.
    - holder early (before the free-cancellation delay), by the OF, and a confirmed scam: everything restored,
      nothing paid;
    - holder late, no-show: everything consumed (rights lost, card payment kept), the OF gets the late
      cancellation share of the price;
    - abandonment without force majeure: everything consumed, the OF gets the attendance scale
      (`organisation_payment_share`: minimum share, pro rata, in full above the threshold);
    - force majeure: the OF gets exactly the attendance share, the unused part is restored;
    - completion: the OF gets the same scale as abandonment on the completion share, the rest is restored
      (the holder is not at fault for a partly delivered training).
    """
    price = engagement.price
    needs_attendance = ending in {Ending.ABANDONMENT, Ending.FORCE_MAJEURE, Ending.COMPLETION}
    if needs_attendance != (attendance is not None):
        raise ValueError(f"attendance is {'required' if needs_attendance else 'meaningless'} for {ending}")
    match ending:
        case Ending.HOLDER_EARLY | Ending.BY_ORGANISATION | Ending.FRAUD:
            return _settle(engagement, ending, consumed=ZERO, organisation_payment=ZERO)
        case Ending.HOLDER_LATE | Ending.NO_SHOW:
            fee = round_cents(price * params.late_cancellation_share)
            return _settle(engagement, ending, consumed=price, organisation_payment=fee)
        case Ending.ABANDONMENT:
            paid = round_cents(price * organisation_payment_share(attendance, params))
            return _settle(engagement, ending, consumed=price, organisation_payment=paid)
        case Ending.FORCE_MAJEURE:
            paid = round_cents(price * _share(attendance, "attendance"))
            return _settle(engagement, ending, consumed=paid, organisation_payment=paid)
        case Ending.COMPLETION:
            paid = round_cents(price * organisation_payment_share(attendance, params))
            return _settle(engagement, ending, consumed=paid, organisation_payment=paid)
    raise ValueError(f"unknown ending {ending!r}")
