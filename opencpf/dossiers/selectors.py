"""Reads of training files: who may see which, the funding split before paying, the consequences of a
cancellation before confirming, the next deadline and what happens next, the history, public comments."""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from opencpf.accounts.enums import HolderStatus, Role
from opencpf.accounts.models import Holder, User
from opencpf.catalogue.enums import OrganisationRole, OrganisationStatus
from opencpf.catalogue.models import Offer, OrganisationMember
from opencpf.catalogue.selectors import bank_details_hold_threshold, has_organisation_role
from opencpf.dossiers import funding_limits, rules
from opencpf.dossiers.enums import (
    DEADLINES,
    Action,
    Actor,
    ContributionExemption,
    DossierState,
    Ending,
    FundingOrder,
    Refusal,
    allowed_actions,
)
from opencpf.dossiers.models import (
    OPEN_STATES,
    Dossier,
    DossierEvent,
    Evaluation,
    OrganisationPayment,
    OrganisationPaymentStatus,
)
from opencpf.dossiers.params import dossier_parameters, flat_contribution, funding_limit_parameters
from opencpf.dossiers.worklist import organisations_reading_files
from opencpf.rights.enums import CONTRIBUTION_EXEMPTING_FUNDERS, Bucket, FunderKind
from opencpf.rights.models import Engagement, TopUp
from opencpf.rights.selectors import rights_buckets
from opencpf.utils.formatting import long_date

S = DossierState
ZERO = Decimal("0.00")


# --- who sees what ---------------------------------------------------------------------------------------------


def dossiers_of_holder(user: User) -> QuerySet[Dossier]:
    if user.role != Role.HOLDER or not hasattr(user, "holder"):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(holder=user.holder)
        .select_related("organisation", "offer", "session")
        .order_by("-created_at", "-id")
    )


def organisation_ids_of(user: User) -> list[int]:
    if user.role != Role.ORGANISATION_STAFF:
        return []
    # Kept on the user object, which lives for one request: a list of files asks once, not once per file.
    if (ids := user.__dict__.get("_organisation_ids")) is None:
        ids = user.__dict__["_organisation_ids"] = list(
            OrganisationMember.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
    return ids


def dossiers_of_organisations(user: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(organisation_id__in=organisations_reading_files(user))
        .select_related("holder", "organisation", "offer", "session")
        .order_by("-updated_at", "-id")
    )


def dossier_visible_to(user: User, dossier_id: int) -> Dossier | None:
    """The file if `user` is its holder, a member of its organisation or an agent; None otherwise (→ 404)."""
    if not user or not user.is_authenticated:
        return None
    dossiers = Dossier.objects.select_related("holder__user", "organisation", "offer", "session")
    if user.role == Role.AGENT:
        return dossiers.filter(pk=dossier_id).first()
    if user.role == Role.HOLDER:
        return dossiers.filter(pk=dossier_id, holder__user=user).first()
    if user.role == Role.ORGANISATION_STAFF:
        return dossiers.filter(pk=dossier_id, organisation_id__in=organisations_reading_files(user)).first()
    return None


def actor_for(user: User, dossier: Dossier) -> Actor | None:
    holder = getattr(user, "holder", None) if user.role == Role.HOLDER else None
    if holder is not None and dossier.holder_id == holder.pk:
        return Actor.HOLDER
    if user.role == Role.ORGANISATION_STAFF and dossier.organisation_id in organisation_ids_of(user):
        return Actor.ORGANISATION
    if user.role == Role.AGENT:
        return Actor.AGENT
    return None


def actions_for(user: User, dossier: Dossier) -> list[Action]:
    """What `user` may do on the file now; nothing while a scam report freezes it."""
    actor = actor_for(user, dossier)
    if actor is None or dossier.frozen_at is not None:
        return []
    if actor == Actor.ORGANISATION and not has_organisation_role(
        user, dossier.organisation_id, OrganisationRole.FILES_MANAGER
    ):
        return []
    return allowed_actions(DossierState(dossier.state), actor)


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


def can_evaluate(dossier: Dossier, today: datetime.date) -> bool:
    return dossier.state in (S.COMPLETED, S.PAID) and dossier.took_place is None and today >= dossier.proposal_end


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


def cancellation_preview(dossier: Dossier, *, actor: Actor, on: datetime.date) -> CancellationPreview:
    """What a cancellation today would do to the money, by the row of the table that would apply."""
    if dossier.state not in (S.CONFIRMED, S.IN_TRAINING):
        return CancellationPreview(None, ZERO, ZERO, ZERO, ZERO, ZERO, None)
    params = dossier_parameters(on)
    if actor == Actor.HOLDER:
        ending = rules.holder_cancellation_ending(on, dossier.proposal_start, params)
    else:
        ending = Ending.BY_ORGANISATION
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


# --- deadlines and next steps ----------------------------------------------------------------------------------


def next_deadline(dossier: Dossier) -> tuple[str, datetime.date] | None:
    """The name and date of the deadline governing the file's current state (None for closed files)."""
    field = DEADLINES.get(DossierState(dossier.state))
    if field is None:
        return None
    value = getattr(dossier, field)
    return (field, value) if value else None


def _date(value: datetime.date | None) -> str:
    return long_date(value)


def late_cancellation_consequence(*, funded: Decimal | None, card: Decimal | None) -> str:
    """What a cancellation after the free period will cost, said of what the file engages: a holder who pays only
    the contribution by card is not told their rights are lost (DESIGN §2.3: later, everything engaged is kept)."""
    if funded and card:
        return _("after that, the rights engaged and what you paid by card will not come back.")
    if funded:
        return _("after that, the rights engaged will not come back.")
    return _("after that, what you paid by card will not be refunded.")


def state_message(dossier: Dossier, audience: str) -> str:
    """What happens next, for the holder (`audience="holder"`) or the organisation, in the active language."""
    d = dossier
    state = DossierState(d.state)
    holder = audience == "holder"
    if d.frozen_at is not None:
        return _(
            "Frozen: a scam report names this file. Until the Caisse des Dépôts decides, it cannot move and nothing "
            "is paid for it."
        )
    if state == S.SUBMITTED:
        if holder:
            return _(
                "The organisation answers by %(date)s with a proposal (dates and price) or a refusal. Without an "
                "answer by then, the request lapses and you may register elsewhere."
            ) % {"date": _date(d.respond_before)}
        return _(
            "Answer by %(date)s: propose a session and a price, or refuse with a reason. Without an answer the "
            "request lapses."
        ) % {"date": _date(d.respond_before)}
    if state == S.PROPOSED:
        if holder:
            return _(
                "Accept the proposal and pay by %(date)s, or it lapses. You will see how your rights fund it "
                "before paying."
            ) % {"date": _date(d.accept_before)}
        return _("The holder has until %(date)s to accept and pay.") % {"date": _date(d.accept_before)}
    if state == S.CONFIRMED:
        if holder:
            return _("The training starts on %(start)s. Free cancellation is possible until %(free)s; %(after)s") % {
                "start": _date(d.proposal_start),
                "free": _date(d.free_cancellation_until),
                "after": late_cancellation_consequence(funded=d.funded_amount, card=d.card_amount),
            }
        return _(
            "Declare the holder's entry from %(start)s and by %(date)s, or a no-show. Without a declaration the "
            "file is cancelled and the holder's rights restored."
        ) % {"start": _date(d.proposal_start), "date": _date(d.declare_entry_before)}
    if state == S.IN_TRAINING:
        if holder:
            return _("The training ends on %(end)s; the organisation then declares your exit.") % {
                "end": _date(d.proposal_end)
            }
        return _("Declare the exit with the completion share from %(end)s and by %(date)s.") % {
            "end": _date(d.proposal_end),
            "date": _date(d.declare_exit_before),
        }
    if state == S.COMPLETED:
        if holder:
            if d.took_place is None:
                return _("Confirm that the training took place and rate it.")
            return _("Thank you for your answer. The organisation will be paid.")
        return _("The platform pays you %(amount)s € by %(date)s.") % {
            "amount": _money(d.organisation_amount),
            "date": _date(d.pay_before),
        }
    if state == S.PAID:
        if holder and d.took_place is None:
            return _("Confirm that the training took place and rate it.")
        return _("The file is closed: the organisation has been paid.")
    if state == S.EXPIRED:
        return _("The organisation did not answer in time: the request lapsed. Nothing was taken from the rights.")
    if state == S.REFUSED_BY_OF:
        return _("The organisation refused the request: %(reason)s") % {"reason": d.refusal_reason}
    if state == S.PROPOSAL_EXPIRED:
        return _("The proposal was not accepted in time: it lapsed. Nothing was taken from the rights.")
    if d.settled_at and d.ending:
        return settlement_message(d)
    if state == S.CANCELLED_BY_HOLDER:
        return _("Cancelled by the holder before anything was engaged.")
    if state == S.CANCELLED_BY_OF:
        return _("Cancelled before anything was engaged.")
    if state == S.CANCELLED_FRAUD:
        return _("Cancelled after a confirmed scam: nothing was taken from the rights.")
    return ""  # pragma: no cover


def _money(amount: Decimal | None) -> str:
    return formats.number_format(amount or ZERO, 2, use_l10n=True, force_grouping=True)


def settlement_message(d: Dossier) -> str:
    return _(
        "%(ending)s Rights restored: %(restored)s €; rights used: %(lost)s €; card refund: %(refund)s €; paid to "
        "the organisation: %(paid)s €."
    ) % {
        "ending": Ending(d.ending).label,
        "restored": _money(d.restored_amount),
        "lost": _money(d.forfeited_amount),
        "refund": _money(d.holder_refund),
        "paid": _money(d.organisation_amount),
    }


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


def dossier_history(dossier: Dossier) -> QuerySet[DossierEvent]:
    return DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("at", "id")


def offer_comments(offer_id: int, limit: int = 10) -> QuerySet[Evaluation]:
    """The latest evaluations of an offer with a comment, for the public page (no name, no file)."""
    return (
        Evaluation.objects.filter(offer_id=offer_id)
        .filter(~Q(comment=""))
        .only("comment", "created_at", "welcome", "content", "trainers", "resources", "support")
        .order_by("-created_at", "-id")[:limit]
    )


def offer_funding_limits(offer, *, on: datetime.date) -> tuple[funding_limits.FundingLimit, ...]:
    """The limits of the 2026 finance law in force on `on` for an offer, before anyone's file (the licence B
    restriction is stated as a condition)."""
    return funding_limits.training_limits(
        certification_kind=offer.certification.kind,
        certification_code=offer.certification.code,
        params=funding_limit_parameters(on),
    )


def sees_funding_details(user: User) -> bool:
    """Why the holder owes no flat contribution and which rights or top-ups pay (a "job seeker" top-up says a lot)
    are for the holder and agents; the organisation sees the amounts it needs: price, paid by rights, by card."""
    return user.role in (Role.HOLDER, Role.AGENT)


def open_files_by_session(user: User, offer_id: int) -> dict[int, int]:
    """{session id: file id} of the holder's open files on an offer: the offer page links to the file instead of
    offering a registration the one-open-file-per-session rule would refuse."""
    return dict(
        dossiers_of_holder(user).filter(offer_id=offer_id, state__in=OPEN_STATES).values_list("session_id", "pk")
    )


def files_awaiting_holder(user: User, today: datetime.date) -> list[Dossier]:
    """The holder's files that wait for them, soonest deadline first: a proposal to accept or decline, a finished
    training to confirm and rate. The dashboard puts them at the top."""
    waiting = dossiers_of_holder(user).filter(
        Q(state=S.PROPOSED) | Q(state__in=(S.COMPLETED, S.PAID), took_place__isnull=True, proposal_end__lte=today),
        frozen_at__isnull=True,
    )
    return sorted(waiting, key=lambda d: (d.accept_before or datetime.date.max, d.pk))
