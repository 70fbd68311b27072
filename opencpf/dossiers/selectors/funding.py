"""The funding split before paying, and the consequences of a cancellation before confirming."""

import dataclasses
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from opencpf.accounts.enums import HolderStatus
from opencpf.accounts.models import Holder
from opencpf.catalogue.models import Offer
from opencpf.dossiers import funding_limits, rules
from opencpf.dossiers.enums import (
    Actor,
    ContributionExemption,
    DossierState,
    Ending,
    FundingOrder,
    Refusal,
)
from opencpf.dossiers.models import (
    Dossier,
)
from opencpf.dossiers.params import dossier_parameters, flat_contribution, funding_limit_parameters
from opencpf.rights.enums import CONTRIBUTION_EXEMPTING_FUNDERS, Bucket, FunderKind
from opencpf.rights.models import Engagement, TopUp
from opencpf.rights.selectors.usable import rights_buckets

S = DossierState


ZERO = Decimal("0.00")


def engagement_of(dossier: Dossier) -> rules.EngagedMoney:
    """What the file engaged, from the rights ledger's engagements (by bucket) and the card payment."""
    parts = Engagement.objects.filter(holder_id=dossier.holder_id, dossier_id=dossier.pk).order_by("id")
    allocations = []
    for part in parts:
        outstanding = part.amount - part.restored - part.forfeited
        if outstanding > 0:
            key = Bucket.ACQUIRED.value if part.bucket == Bucket.ACQUIRED else part.top_up_id
            allocations.append(rules.Allocation(key, Bucket(part.bucket), outstanding))
    return rules.EngagedMoney(buckets=tuple(allocations), card_paid=dossier.card_amount or ZERO)


# --- funding (DESIGN §2.2) -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FundingLine:
    bucket_id: int | str
    kind: str  # rights.enums.Bucket
    label: str
    amount: Decimal
    earmarked: bool = False
    expires_on: datetime.date | None = None
    funder_kind: str = ""


@dataclasses.dataclass(frozen=True)
class Funding:
    plan: rules.FundingPlan
    exemption: ContributionExemption | None
    lines: tuple[FundingLine, ...]
    limits: tuple[funding_limits.FundingLimit, ...] = ()  # why the rights are capped, or cannot fund it
    order: FundingOrder | None = None  # the order of use in force (R6333-3)

    @property
    def order_label(self) -> str:
        return str(FundingOrder(self.order).label) if self.order else ""

    @property
    def refusal(self) -> Refusal | None:
        return funding_limits.refusal(self.limits)

    def split(self) -> list[tuple[int | str, Decimal]]:
        """The plan's split, as the rights ledger engages it."""
        return [(allocation.bucket_id, allocation.amount) for allocation in self.plan.allocations]

    @property
    def exemption_label(self) -> str:
        return str(self.exemption.label) if self.exemption else ""

    def as_json(self) -> list[dict]:
        return [
            {
                "bucket": str(line.bucket_id),
                "kind": str(line.kind),
                "label": line.label,
                "amount": f"{line.amount:.2f}",
                "earmarked": line.earmarked,
                "expires_on": line.expires_on.isoformat() if line.expires_on else None,
                "funder_kind": line.funder_kind,
            }
            for line in self.lines
        ]


def funding_for(dossier: Dossier, *, on: datetime.date) -> Funding:
    """How the agreed price would be paid if the holder accepted on `on`: rights by bucket in the order of use in
    force on `on` (`rules.funding_order`), the flat contribution or why the holder is exempt, and the shortfall.
    Services call it with the holder's account locked; acceptance engages exactly this split."""
    return _funding(
        holder=dossier.holder,
        offer=dossier.offer,
        certification_code=dossier.certification_code,
        price=dossier.price,
        dossier_id=dossier.pk,
        on=on,
    )


def offer_funding_estimate(holder: Holder, offer: Offer, *, on: datetime.date) -> Funding:
    """What the holder's rights would cover of an offer at its published price, and what they would pay, if they
    accepted it on `on`: the same decision as for a file (`funding_for`), before any file exists. An estimate: the
    organisation may propose another price, and the balance may change before acceptance."""
    return _funding(
        holder=holder,
        offer=offer,
        certification_code=offer.certification.code,
        price=offer.price,
        dossier_id=None,
        on=on,
    )


def _funding(
    *, holder: Holder, offer: Offer, certification_code: str, price: Decimal, dossier_id: int | None, on: datetime.date
) -> Funding:
    usable = rights_buckets(
        holder=holder,
        on_date=on,
        certification_code=certification_code,
        offer_id=offer.pk,
        dossier_id=dossier_id,
    )
    top_ups = {t.pk: t for t in TopUp.objects.filter(pk__in=[b.id for b in usable if b.kind == Bucket.TOP_UP])}
    buckets = [
        rules.FundingSource(
            id=bucket.id,
            kind=Bucket(bucket.kind),
            amount=bucket.amount,
            earmarked_for_this_training=bucket.earmarked_for_this_training,
            expires_on=bucket.expires_on,
            file_top_up=bucket.for_this_file,
        )
        for bucket in usable
    ]
    params = dossier_parameters(on)
    contribution = flat_contribution(on)
    exemption = rules.contribution_exemption(
        job_seeker=holder.status == HolderStatus.JOB_SEEKER,
        employer_cofunded=False,
        c2p=holder.c2p_confirmed,
        work_accident_rate=holder.work_accident_rate,
        params=params,
    )
    order = params.funding_order
    certification = offer.certification
    limit_params = funding_limit_parameters(on)
    job_seeker = holder.status == HolderStatus.JOB_SEEKER
    cap = funding_limits.rights_cap(
        funding_limits.training_limits(
            certification_kind=certification.kind,
            certification_code=certification.code,
            params=limit_params,
            job_seeker=True,  # the caps apply to everyone
        )
    )
    plan = rules.funding_plan(
        price=price,
        contribution=contribution,
        exempt=exemption is not None,
        buckets=buckets,
        order=order,
        on=on,
        rights_cap=cap,
    )
    employer = {pk for pk, t in top_ups.items() if t.funder_kind in CONTRIBUTION_EXEMPTING_FUNDERS}
    if exemption is None and any(a.bucket_id in employer for a in plan.allocations):
        # Co-funded by the employer or an OPCO: no flat contribution (L6323-4). Rights are spent in the same
        # order, so the employer's top-up still funds the file with the higher ceiling.
        exemption = ContributionExemption.EMPLOYER_COFUNDED
        plan = rules.funding_plan(
            price=price, contribution=contribution, exempt=True, buckets=buckets, order=order, on=on, rights_cap=cap
        )
    limits = funding_limits.training_limits(
        certification_kind=certification.kind,
        certification_code=certification.code,
        params=limit_params,
        job_seeker=job_seeker,
        third_party_funds=any(a.kind == Bucket.TOP_UP for a in plan.allocations),
    )
    lines = []
    for allocation in plan.allocations:
        top_up = top_ups.get(allocation.bucket_id)
        if top_up is None:
            label = _("Acquired rights")
        else:
            label = _("Top-up from %(funder)s (%(kind)s)") % {
                "funder": top_up.funder_name,
                "kind": FunderKind(top_up.funder_kind).label,
            }
        lines.append(
            FundingLine(
                bucket_id=allocation.bucket_id,
                kind=allocation.kind,
                label=label,
                amount=allocation.amount,
                earmarked=bool(top_up and top_up.is_earmarked),
                expires_on=top_up.expires_on if top_up else None,
                funder_kind=top_up.funder_kind if top_up else "",
            )
        )
    return Funding(plan=plan, exemption=exemption, lines=tuple(lines), limits=limits, order=order)


# --- cancellation preview --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CancellationPreview:
    ending: Ending | None  # None: nothing engaged yet, nothing to settle
    restored: Decimal
    lost: Decimal  # rights consumed (lost or paid to the organisation)
    refund: Decimal
    card_kept: Decimal
    organisation_payment: Decimal
    free_until: datetime.date | None

    @property
    def ending_label(self) -> str:
        return str(self.ending.label) if self.ending else ""

    @property
    def is_free(self) -> bool:
        """The holder cancels in time: everything is given back."""
        return self.ending == Ending.HOLDER_EARLY


def cancellation_preview(dossier: Dossier, *, actor: Actor, on: datetime.date) -> CancellationPreview:
    """What a cancellation today would do to the money, by the row of the table that would apply."""
    if dossier.state not in (S.CONFIRMED, S.IN_TRAINING):
        return CancellationPreview(None, ZERO, ZERO, ZERO, ZERO, ZERO, None)
    params = dossier_parameters(on)
    ending = rules.cancellation_ending(on, dossier.proposal_start, params, by_holder=actor == Actor.HOLDER)
    outcome = rules.cancellation_outcome(engagement_of(dossier), ending, params=params)
    return CancellationPreview(
        ending=ending,
        restored=outcome.restored,
        lost=outcome.forfeited,
        refund=outcome.holder_refund,
        card_kept=outcome.card_kept,
        organisation_payment=outcome.organisation_payment,
        free_until=dossier.free_cancellation_until,
    )


def offer_funding_limits(offer, *, on: datetime.date) -> tuple[funding_limits.FundingLimit, ...]:
    """The limits of the 2026 finance law in force on `on` for an offer, before anyone's file (the licence B
    restriction is stated as a condition)."""
    return funding_limits.training_limits(
        certification_kind=offer.certification.kind,
        certification_code=offer.certification.code,
        params=funding_limit_parameters(on),
    )
