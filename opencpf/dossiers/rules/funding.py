"""Funding plan (DESIGN §2.2): which rights pay for a training, in which order, and the contribution."""

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal

from opencpf.dossiers.enums import ContributionExemption, FundingOrder
from opencpf.dossiers.rules.money import ZERO, BucketId, _money
from opencpf.dossiers.rules.parameters import DossierParameters
from opencpf.rights.enums import Bucket

# --- Funding plan (DESIGN §2.2) ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FundingSource:
    """Rights available to fund this training. Pass only sources usable for it: acquired rights, top-ups without
    an earmark, and top-ups earmarked for this very training (`earmarked_for_this_training`)."""

    id: BucketId
    kind: Bucket
    amount: Decimal
    earmarked_for_this_training: bool = False
    expires_on: datetime.date | None = None  # last day the top-up can be used (décret 2025-341)
    file_top_up: bool = False  # a top-up of this one file ("abondement"): it covers what the rest leaves unpaid


@dataclasses.dataclass(frozen=True)
class Allocation:
    bucket_id: BucketId
    kind: Bucket
    amount: Decimal


@dataclasses.dataclass(frozen=True)
class EngagedMoney:
    """What was engaged at acceptance: amounts taken from each bucket (funding order) and the card payment."""

    buckets: tuple[Allocation, ...]
    card_paid: Decimal

    @property
    def funded(self) -> Decimal:
        return sum((allocation.amount for allocation in self.buckets), ZERO)

    @property
    def price(self) -> Decimal:
        return self.funded + self.card_paid


@dataclasses.dataclass(frozen=True)
class FundingPlan:
    price: Decimal
    contribution: Decimal  # the flat contribution in force (L6323-4)
    exempt: bool
    contribution_due: Decimal  # what of it the holder owes: 0 if exempt, never more than the price
    available: Decimal  # total rights usable for this training
    allocations: tuple[Allocation, ...]  # non-zero amounts, in funding order: the split the rights ledger engages
    funded: Decimal  # paid by rights
    holder_pays: Decimal  # paid by card at confirmation = price − funded
    shortfall: Decimal  # the part of holder_pays beyond the contribution: rights did not cover it

    def engagement(self) -> EngagedMoney:
        return EngagedMoney(buckets=self.allocations, card_paid=self.holder_pays)


# Rank of each kind of money in each order of use. File top-ups ("abondements", which cover what the rest leaves
# unpaid) come last in both (`FILE_TOP_UP_RANK`).
FILE_TOP_UP_RANK = 2


_RANKS = {
    FundingOrder.SUPPLEMENTARY_FIRST: {Bucket.TOP_UP: 0, Bucket.ACQUIRED: 1},
    FundingOrder.ACQUIRED_FIRST: {Bucket.ACQUIRED: 0, Bucket.TOP_UP: 1},
}


def funding_order(sources: Iterable[FundingSource], order: FundingOrder) -> list[FundingSource]:
    """Which rights are spent first: the one decision of the order of use (R6333-3, a dated parameter).

    - `supplementary_first` (décret 2025-1156, from 2025-12-05): the supplementary credits first, those earmarked
      for this training first (they can fund nothing else), then the soonest to expire (unspent they are lost),
      then the others; then the holder's acquired rights, which never expire.
    - `acquired_first` (before): acquired rights first, then the supplementary credits in the same order.
    In both, the file's own top-ups last. Within a rank, the order given breaks ties.
    """
    ranks = _RANKS[FundingOrder(order)]

    def priority(item: tuple[int, FundingSource]) -> tuple:
        index, source = item
        return (
            FILE_TOP_UP_RANK if source.file_top_up else ranks[source.kind],
            not source.earmarked_for_this_training,
            source.expires_on or datetime.date.max,
            index,
        )

    return [source for _index, source in sorted(enumerate(sources), key=priority)]


def funding_plan(
    *,
    price: Decimal,
    contribution: Decimal,
    exempt: bool,
    buckets: Iterable[FundingSource],
    order: FundingOrder,
    on: datetime.date | None = None,
    rights_cap: Decimal | None = None,
) -> FundingPlan:
    """How a training of `price` is paid (DESIGN §2.2, L6323-4): the only place the split between buckets is
    decided. The rights ledger engages exactly `allocations`; it checks them and chooses nothing.

    The flat contribution is part of the price: rights fund at most price − contribution (the whole price when
    exempt), the holder pays the rest by card, at least the contribution (unless exempt). Buckets are used in
    `funding_order(…, order)`. With `on`, top-ups expired before that date are left out. `rights_cap` (a cap of
    the 2026 finance law for this kind of training) limits what rights fund; the holder pays the rest.
    """
    price = _money(price, "price")
    contribution = _money(contribution, "contribution")
    buckets = [dataclasses.replace(bucket, amount=_money(bucket.amount, f"bucket {bucket.id}")) for bucket in buckets]
    if len({bucket.id for bucket in buckets}) != len(buckets):
        raise ValueError("bucket ids must be unique")
    expired = {bucket.id for bucket in buckets if on and bucket.expires_on and bucket.expires_on < on}
    usable = [bucket for bucket in funding_order(buckets, order) if bucket.amount > 0 and bucket.id not in expired]
    contribution_due = ZERO if exempt else min(contribution, price)
    ceiling = price - contribution_due
    if rights_cap is not None:
        ceiling = min(ceiling, _money(rights_cap, "rights_cap"))
    allocations = []
    funded = ZERO
    for bucket in usable:
        take = min(bucket.amount, ceiling - funded)
        if take <= 0:
            break
        allocations.append(Allocation(bucket.id, bucket.kind, take))
        funded += take
    holder_pays = price - funded
    return FundingPlan(
        price=price,
        contribution=contribution,
        exempt=exempt,
        contribution_due=contribution_due,
        available=sum((bucket.amount for bucket in usable), ZERO),
        allocations=tuple(allocations),
        funded=funded,
        holder_pays=holder_pays,
        shortfall=holder_pays - contribution_due,
    )


def contribution_exemption(
    *,
    job_seeker: bool,
    employer_cofunded: bool,
    c2p: bool,
    work_accident_rate: Decimal | None,
    params: DossierParameters,
) -> ContributionExemption | None:
    """Why the holder is exempt from the flat contribution, if they are (L6323-4, décret 2024-394)."""
    if job_seeker:
        return ContributionExemption.JOB_SEEKER
    if employer_cofunded:
        return ContributionExemption.EMPLOYER_COFUNDED
    if c2p:
        return ContributionExemption.C2P
    if work_accident_rate is not None and work_accident_rate >= params.work_accident_exemption_rate:
        return ContributionExemption.WORK_ACCIDENT
    return None
