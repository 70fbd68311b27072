"""Training files (dossiers), every move they make, the holder's card payments and the organisation's payments.

The state machine lives in `enums.TRANSITIONS`; the database enforces it too:
- a CHECK lists the valid states, and others tie the stored facts to the state they need (a proposal before an
  acceptance, a funding split that adds up to the price once confirmed, a completion share once completed…);
- a trigger (migration 0002) refuses an UPDATE of `state` that is not a move of the table, and an INSERT in any
  state but `submitted`;
- a partial unique index allows one open file per holder and session.
Moves are made only by `services`, with a guarded `UPDATE … WHERE id = … AND state = <from>`, each recorded as
a `DossierEvent`. Money: rights are engaged in the rights ledger (`rights.Engagement`, by bucket), the card part
is a `Payment`, what the organisation gets is an `OrganisationPayment`; the file keeps the totals so that every
euro of its price can be followed: price = funded + card; funded = restored + forfeited; card = refund + kept.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.dossiers.enums import (
    TERMINAL_STATES,
    Action,
    Actor,
    ContributionExemption,
    DossierState,
    Ending,
)

MONEY = {"max_digits": 10, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 4}  # 0.0000 to 1.0000


def same_amount(left, right):
    """`left = right` for money, within half a cent: exact on PostgreSQL, and SQLite computes decimals as floats."""
    return LessThan(Abs(left - right), Value(Decimal("0.005")))


S = DossierState
OPEN_STATES = sorted(set(DossierState) - TERMINAL_STATES)  # one open file per holder and session
# States reached only after a proposal, and those reached only after an acceptance (rights engaged, card paid).
PROPOSAL_STATES = [S.PROPOSED, S.CONFIRMED, S.IN_TRAINING, S.COMPLETED, S.PAID, S.PROPOSAL_EXPIRED, S.ABANDONED]
CONFIRMED_STATES = [S.CONFIRMED, S.IN_TRAINING, S.COMPLETED, S.PAID, S.ABANDONED]


class Dossier(models.Model):
    """A holder's registration for a session of an offer, from the request to the organisation's payment."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="dossiers")
    organisation = models.ForeignKey(
        "catalogue.Organisation", on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    session = models.ForeignKey("catalogue.Session", on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    # The offer as the holder saw it when registering (the catalogue may change afterwards).
    offer_title = models.CharField(_("training"), max_length=300)
    offer_price = models.DecimalField(_("catalogue price"), **MONEY)
    offer_hours = models.DecimalField(_("duration in hours"), max_digits=7, decimal_places=1)
    certification_code = models.CharField(_("certification"), max_length=32, blank=True)

    state = models.CharField(_("state"), max_length=24, choices=DossierState.choices, default=S.SUBMITTED)

    # Request.
    submitted_at = models.DateTimeField(_("sent on"), default=timezone.now)
    respond_before = models.DateField(_("organisation answers by"))
    # Proposal by the organisation.
    proposed_at = models.DateTimeField(_("proposed on"), null=True, blank=True)
    proposal_price = models.DecimalField(_("proposed price"), null=True, blank=True, **MONEY)
    proposal_start = models.DateField(_("start"), null=True, blank=True)
    proposal_end = models.DateField(_("end"), null=True, blank=True)
    proposal_message = models.TextField(_("message from the organisation"), blank=True)
    accept_before = models.DateField(_("accept by"), null=True, blank=True)
    # Acceptance: how the price is funded (DESIGN §2.2).
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    contribution = models.DecimalField(_("flat contribution in force"), null=True, blank=True, **MONEY)
    contribution_due = models.DecimalField(_("flat contribution paid"), null=True, blank=True, **MONEY)
    contribution_exemption = models.CharField(
        _("exemption from the flat contribution"), max_length=24, choices=ContributionExemption.choices, blank=True
    )
    funded_amount = models.DecimalField(_("paid by rights"), null=True, blank=True, **MONEY)
    card_amount = models.DecimalField(_("paid by card"), null=True, blank=True, **MONEY)
    shortfall = models.DecimalField(_("not covered by rights"), null=True, blank=True, **MONEY)
    funding = models.JSONField(_("funding by bucket"), default=list, blank=True)
    free_cancellation_until = models.DateField(_("free cancellation until"), null=True, blank=True)
    declare_entry_before = models.DateField(_("entry to be declared by"), null=True, blank=True)
    declare_exit_before = models.DateField(_("exit to be declared by"), null=True, blank=True)
    # Training.
    entered_at = models.DateTimeField(_("entry declared on"), null=True, blank=True)
    exited_at = models.DateTimeField(_("exit declared on"), null=True, blank=True)
    completion_share = models.DecimalField(_("completion share"), null=True, blank=True, **SHARE)
    attendance_share = models.DecimalField(_("attendance share"), null=True, blank=True, **SHARE)
    force_majeure = models.BooleanField(_("force majeure"), default=False)
    # Settlement of the engaged money (one row of the cancellation table, or completion).
    ending = models.CharField(_("settlement"), max_length=24, choices=Ending.choices, blank=True)
    settled_at = models.DateTimeField(_("settled on"), null=True, blank=True)
    restored_amount = models.DecimalField(_("rights restored"), null=True, blank=True, **MONEY)
    forfeited_amount = models.DecimalField(_("rights consumed"), null=True, blank=True, **MONEY)
    holder_refund = models.DecimalField(_("card refund"), null=True, blank=True, **MONEY)
    organisation_amount = models.DecimalField(_("paid to the organisation"), null=True, blank=True, **MONEY)
    pay_before = models.DateField(_("organisation paid by"), null=True, blank=True)
    # Reasons.
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)
    # After the end: the holder says whether the training took place.
    took_place = models.BooleanField(_("training took place (holder)"), null=True, blank=True)

    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    # Set while a scam report names the file (opencpf.scams): no move, no payment until an agent decides.
    frozen_at = models.DateTimeField(_("frozen since"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training file")
        verbose_name_plural = _("training files")
        indexes = [
            models.Index(fields=["organisation", "state"], name="dossier_organisation_state_idx"),
            # What the periodic task looks for: one small index per lapsing state, on its deadline.
            models.Index(fields=["respond_before"], condition=Q(state=S.SUBMITTED), name="dossier_respond_due_idx"),
            models.Index(fields=["accept_before"], condition=Q(state=S.PROPOSED), name="dossier_accept_due_idx"),
            models.Index(
                fields=["declare_entry_before"], condition=Q(state=S.CONFIRMED), name="dossier_entry_due_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=DossierState.values), name="dossier_state_valid"),
            models.UniqueConstraint(
                fields=["holder", "session"], condition=Q(state__in=OPEN_STATES), name="dossier_one_open_per_session"
            ),
            models.CheckConstraint(condition=Q(offer_price__gte=0), name="dossier_offer_price_not_negative"),
            models.CheckConstraint(
                condition=~Q(state__in=PROPOSAL_STATES)
                | Q(
                    proposed_at__isnull=False,
                    proposal_price__isnull=False,
                    proposal_end__isnull=False,
                    proposal_price__gt=0,
                    proposal_start__isnull=False,
                    proposal_end__gte=F("proposal_start"),
                    accept_before__isnull=False,
                ),
                name="dossier_proposal_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=CONFIRMED_STATES)
                | Q(
                    confirmed_at__isnull=False,
                    funded_amount__isnull=False,
                    card_amount__isnull=False,
                    contribution_due__isnull=False,
                    shortfall__isnull=False,
                    funded_amount__gte=0,
                    card_amount__gte=0,
                    contribution_due__gte=0,
                    shortfall__gte=0,
                    declare_entry_before__isnull=False,
                )
                & Q(same_amount(F("funded_amount"), F("proposal_price") - F("card_amount")))
                & Q(same_amount(F("card_amount"), F("contribution_due") + F("shortfall"))),
                name="dossier_funding_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[S.IN_TRAINING, S.COMPLETED, S.PAID, S.ABANDONED])
                | Q(entered_at__isnull=False),
                name="dossier_entry_declared",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[S.COMPLETED, S.PAID])
                | Q(exited_at__isnull=False, completion_share__isnull=False),
                name="dossier_exit_declared",
            ),
            models.CheckConstraint(
                condition=Q(completion_share__isnull=True) | Q(completion_share__gte=0, completion_share__lte=1),
                name="dossier_completion_share_valid",
            ),
            models.CheckConstraint(
                condition=Q(attendance_share__isnull=True) | Q(attendance_share__gte=0, attendance_share__lte=1),
                name="dossier_attendance_share_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state=S.REFUSED_BY_OF) | ~Q(refusal_reason=""), name="dossier_refusal_has_reason"
            ),
            models.CheckConstraint(condition=Q(ending="") | Q(ending__in=Ending.values), name="dossier_ending_valid"),
            # Once settled, every euro of the price is accounted for.
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True)
                | Q(
                    ~Q(ending=""),
                    restored_amount__isnull=False,
                    forfeited_amount__isnull=False,
                    holder_refund__isnull=False,
                    organisation_amount__isnull=False,
                    restored_amount__gte=0,
                    forfeited_amount__gte=0,
                    holder_refund__gte=0,
                    organisation_amount__gte=0,
                    card_amount__gte=F("holder_refund"),
                )
                & Q(same_amount(F("funded_amount"), F("restored_amount") + F("forfeited_amount")))
                & Q(
                    LessThan(
                        F("organisation_amount"),
                        F("forfeited_amount") + F("card_amount") - F("holder_refund") + Value(Decimal("0.005")),
                    )
                ),
                name="dossier_settlement_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[S.COMPLETED, S.PAID, S.ABANDONED]) | Q(settled_at__isnull=False),
                name="dossier_settled_when_ended",
            ),
        ]

    def __str__(self):
        return f"{self.pk} {self.offer_title} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state not in TERMINAL_STATES

    @property
    def is_proposed(self) -> bool:
        """A proposal awaiting the holder: cancelling it is declining it (the pages word it so)."""
        return self.state == S.PROPOSED

    @property
    def price(self):
        """The agreed price once proposed, the catalogue price before."""
        return self.proposal_price if self.proposal_price is not None else self.offer_price

    @property
    def start(self):
        return self.proposal_start or self.session.start_date

    @property
    def end(self):
        return self.proposal_end or self.session.end_date


class DossierEvent(models.Model):
    """One move of a file: from which state to which, by what action, who did it, when, from where, why."""

    # No foreign key constraint in the database: the periodic task inserts hundreds of thousands of events at once
    # and the deferred check of each one costs about 10 % of its time. Nothing is lost: events are inserted from
    # the ids the very same UPDATE of the files returned, and a file is never deleted (a trigger refuses it on
    # PostgreSQL; the ORM's PROTECT everywhere).
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events", db_constraint=False)
    from_state = models.CharField(max_length=24, choices=DossierState.choices, blank=True)  # "": created
    to_state = models.CharField(max_length=24, choices=DossierState.choices)
    action = models.CharField(max_length=32, choices=Action.choices)
    actor_kind = models.CharField(max_length=16, choices=Actor.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("move of a training file")
        verbose_name_plural = _("moves of training files")
        constraints = [
            models.CheckConstraint(condition=Q(to_state__in=DossierState.values), name="dossier_event_state_valid"),
            models.CheckConstraint(condition=Q(action__in=Action.values), name="dossier_event_action_valid"),
            models.CheckConstraint(condition=Q(actor_kind__in=Actor.values), name="dossier_event_actor_valid"),
            models.CheckConstraint(
                condition=Q(actor_kind=Actor.SYSTEM) | Q(actor__isnull=False), name="dossier_event_actor_known"
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_state or '∅'} → {self.to_state} ({self.action})"


class PaymentKind(models.TextChoices):
    CHARGE = "charge", _("Card payment")
    REFUND = "refund", _("Card refund")


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    DECLINED = "declined", _("Declined")
    ROLLED_BACK = "rolled_back", _("Refunded at once: the file could not be confirmed")


class Payment(models.Model):
    """A card movement of the holder through the payment provider: the charge at acceptance (the flat
    contribution and any shortfall), a refund at settlement. Declined attempts are kept too (they moved nothing),
    and so is a charge rolled back with a file that could not be confirmed, with its refund."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=8, choices=PaymentKind.choices)
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=12, choices=PaymentStatus.choices)
    provider = models.CharField(max_length=32)
    provider_reference = models.CharField(max_length=64, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=PaymentKind.values), name="payment_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.SUCCEEDED) | ~Q(provider_reference=""),
                name="payment_succeeded_has_reference",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} {self.status}"


class OrganisationPaymentStatus(models.TextChoices):
    DUE = "due", _("Due")
    HELD = "held", _("Held: the holder says the training did not take place")
    PAID = "paid", _("Paid")


class OrganisationPayment(models.Model):
    """What the platform owes the organisation for one file (completion, late cancellation, no-show, abandon)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="organisation_payment")
    organisation = models.ForeignKey(
        "catalogue.Organisation", on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    amount = models.DecimalField(**MONEY)
    from_rights = models.DecimalField(_("paid from the holder's rights"), **MONEY)
    from_card = models.DecimalField(_("paid from the holder's card payment"), **MONEY)
    ending = models.CharField(max_length=24, choices=Ending.choices)
    due_on = models.DateField(_("due by"))
    status = models.CharField(max_length=8, choices=OrganisationPaymentStatus.choices, default="due")
    paid_at = models.DateTimeField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reference = models.CharField(_("transfer reference"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment to an organisation")
        verbose_name_plural = _("payments to organisations")
        indexes = [
            models.Index(fields=["organisation", "status"], name="org_payment_org_status_idx"),
            models.Index(fields=["due_on"], condition=Q(status="due"), name="org_payment_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="org_payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(from_rights__gte=0, from_card__gte=0)
                & Q(same_amount(F("amount"), F("from_rights") + F("from_card"))),
                name="org_payment_sources_add_up",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganisationPaymentStatus.values), name="org_payment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False, reference__gt=""), name="org_payment_paid_dated"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id}: {self.amount} ({self.status})"


RATING_CRITERIA = ("welcome", "content", "trainers", "resources", "support")


class Evaluation(models.Model):
    """The holder's rating of a training after its end, public on the offer without the holder's name."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="evaluation")
    offer = models.ForeignKey("catalogue.Offer", on_delete=models.PROTECT, related_name="evaluations")
    welcome = models.PositiveSmallIntegerField(_("welcome"))
    content = models.PositiveSmallIntegerField(_("content"))
    trainers = models.PositiveSmallIntegerField(_("trainers"))
    resources = models.PositiveSmallIntegerField(_("resources"))
    support = models.PositiveSmallIntegerField(_("support"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__gte": 1 for name in RATING_CRITERIA},
                    **{f"{name}__lte": 5 for name in RATING_CRITERIA},
                ),
                name="evaluation_ratings_1_to_5",
            ),
        ]

    @property
    def average(self):
        return Decimal(sum(getattr(self, name) for name in RATING_CRITERIA)) / len(RATING_CRITERIA)
