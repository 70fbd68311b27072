"""A holder's money: an append-only ledger, the balances it adds up to, top-ups, engagements, declarations.

The invariants live in the database:
- `RightsAccount` keeps the current balances, each CHECKed: never negative, acquired rights never above the cap;
- `LedgerEntry` is append-only (a trigger refuses UPDATE) and a partial unique index allows one yearly
  credit per holder and year;
- `TopUp.remaining` and `Engagement.restored/forfeited` are CHECKed against their amounts.
Services (`opencpf.rights.services`) write a ledger entry and the balance it moves in one transaction, with
the account row locked, so that every balance equals the sum of its ledger entries.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencpf.catalogue.validators import certification_code_key
from opencpf.rights.enums import AbsenceKind, Bucket, FunderKind, MovementKind

MONEY = {"max_digits": 9, "decimal_places": 2}
HOURS = {"max_digits": 7, "decimal_places": 2}


class RightsAccount(models.Model):
    """The current balances of one holder, kept equal to the sum of the ledger by the services."""

    holder = models.OneToOneField(
        "accounts.Holder", on_delete=models.PROTECT, primary_key=True, related_name="rights_account"
    )
    acquired = models.DecimalField(_("acquired rights"), default=0, **MONEY)
    top_ups = models.DecimalField(_("top-ups"), default=0, **MONEY)
    cap = models.DecimalField(
        _("cap on acquired rights"), **MONEY, help_text=_("The cap in force at the last yearly credit.")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rights account")
        verbose_name_plural = _("rights accounts")
        constraints = [
            models.CheckConstraint(condition=Q(acquired__gte=0), name="rights_account_acquired_not_negative"),
            models.CheckConstraint(condition=Q(top_ups__gte=0), name="rights_account_top_ups_not_negative"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="rights_account_cap_not_negative"),
            models.CheckConstraint(condition=Q(acquired__lte=F("cap")), name="rights_account_acquired_within_cap"),
        ]

    def __str__(self):
        return f"{self.holder_id}: {self.acquired} + {self.top_ups}"

    @property
    def total(self):
        return self.acquired + self.top_ups


class TopUp(models.Model):
    """Money a funder adds to a holder's account; optionally earmarked for given trainings, or expiring."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="top_ups")
    funder_kind = models.CharField(_("funder kind"), max_length=32, choices=FunderKind.choices)
    funder_name = models.CharField(_("funder"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    remaining = models.DecimalField(_("remaining"), **MONEY)
    # Earmark: the top-up may only fund trainings leading to these certifications (codes such as "RNCP37274",
    # "RS5432") or these catalogue offers (ids). Both empty: usable for any training.
    earmark_certifications = models.JSONField(_("earmarked certifications"), default=list, blank=True)
    earmark_offers = models.JSONField(_("earmarked offers"), default=list, blank=True)
    expires_on = models.DateField(_("usable until"), null=True, blank=True)
    # Agreed with the funder: what is unused at expiry (or comes back from a cancelled file after it) goes back to
    # the funder (a `funder_return` movement) rather than simply expiring.
    return_unused = models.BooleanField(_("unused money goes back to the funder"), default=False)
    # A file top-up ("abondement", DESIGN §2.2): the funder covers what rights leave unpaid on this one training
    # file; usable for it only, used last, and what the file gives back goes back to the funder.
    for_dossier_id = models.BigIntegerField(_("for training file"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("top-up")
        verbose_name_plural = _("top-ups")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="top_up_amount_positive"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="top_up_remaining_not_negative"),
            models.CheckConstraint(condition=Q(remaining__lte=F("amount")), name="top_up_remaining_within_amount"),
            models.CheckConstraint(condition=Q(funder_kind__in=FunderKind.values), name="top_up_funder_kind_valid"),
            models.CheckConstraint(
                condition=Q(for_dossier_id__isnull=True) | Q(return_unused=True), name="top_up_file_returns_unused"
            ),
        ]
        indexes = [
            models.Index(fields=["expires_on"], condition=Q(remaining__gt=0), name="top_up_expiring_idx"),
        ]

    def __str__(self):
        return f"{self.funder_name}: {self.remaining}/{self.amount}"

    @property
    def is_earmarked(self) -> bool:
        return bool(self.earmark_certifications or self.earmark_offers)

    def matches(self, *, certification_code: str = "", offer_id: int | None = None) -> bool:
        """Whether this top-up may fund a training with this certification code (in any spelling: earmarks are
        stored normalised, the code is compared in the same form) or offer id."""
        if not self.is_earmarked:
            return True
        return (
            bool(certification_code) and certification_code_key(certification_code) in self.earmark_certifications
        ) or (offer_id is not None and offer_id in self.earmark_offers)


class Engagement(models.Model):
    """The part of one training file funded from one bucket (acquired rights or one top-up).

    What is later restored or forfeited is counted here, and CHECKed never to exceed what was engaged.
    """

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="engagements")
    dossier_id = models.BigIntegerField(_("training file"))
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    top_up = models.ForeignKey(TopUp, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements")
    amount = models.DecimalField(**MONEY)
    restored = models.DecimalField(default=0, **MONEY)
    forfeited = models.DecimalField(default=0, **MONEY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["holder", "dossier_id"], name="engagement_dossier_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="engagement_amount_positive"),
            models.CheckConstraint(
                condition=Q(restored__gte=0, forfeited__gte=0), name="engagement_settled_not_negative"
            ),
            # Half a cent of slack: exact on PostgreSQL (numeric, cents), and SQLite adds decimals as floats
            # (658.08 + 438.72 = 1096.8000000000002 > 1096.80).
            models.CheckConstraint(
                condition=Q(amount__gte=F("restored") + F("forfeited") - Value(Decimal("0.005"))),
                name="engagement_settled_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(bucket=Bucket.ACQUIRED, top_up__isnull=True)
                | Q(bucket=Bucket.TOP_UP, top_up__isnull=False),
                name="engagement_bucket_consistent",
            ),
        ]

    @property
    def outstanding(self):
        return self.amount - self.restored - self.forfeited


class LedgerEntry(models.Model):
    """One movement of a holder's money. Never updated (a database trigger refuses it), never deleted.

    `amount` is signed. For a balance movement it is the change of the `bucket` balance. For a settlement of
    engaged rights (`SETTLEMENT_KINDS`: paid to an organisation, or lost) it is what leaves the account for good
    from that bucket's engaged rights (negative); the balance had moved at engagement. A payment is linked to the
    organisation payment it funded. The closure (and forfeitures written before issue 8) has bucket "none" and
    amount 0.
    """

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="ledger", db_index=False)
    kind = models.CharField(_("movement"), max_length=24, choices=MovementKind.choices)
    bucket = models.CharField(max_length=16, choices=Bucket.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    year = models.SmallIntegerField(_("year worked"), null=True, blank=True)
    top_up = models.ForeignKey(
        TopUp, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries", db_index=False
    )
    dossier_id = models.BigIntegerField(_("training file"), null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    organisation_payment = models.ForeignKey(
        "dossiers.OrganisationPayment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("organisation payment"),
        db_index=False,  # indexed only where set (Meta): the yearly credits (millions of rows) never are
    )
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    effective_on = models.DateField(_("date"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["top_up"], condition=Q(top_up__isnull=False), name="ledger_top_up_idx"),
            models.Index(
                fields=["organisation_payment"],
                condition=Q(organisation_payment__isnull=False),
                name="ledger_org_payment_idx",
            ),
        ]
        constraints = [
            # Only yearly credits carry a year, so this is "one yearly credit per holder and year" (other movements
            # have a NULL year, and NULLs never collide). Its index also serves every lookup by holder.
            models.UniqueConstraint(fields=["holder", "year"], name="ledger_one_credit_per_holder_and_year"),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(kind=MovementKind.YEARLY_CREDIT), name="ledger_year_only_on_credits"
            ),
            models.CheckConstraint(condition=Q(kind__in=MovementKind.values), name="ledger_kind_valid"),
            models.CheckConstraint(
                condition=Q(bucket=Bucket.ACQUIRED, top_up__isnull=True)
                | Q(bucket=Bucket.TOP_UP, top_up__isnull=False)
                | Q(bucket=Bucket.NONE, amount=0),
                name="ledger_bucket_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.YEARLY_CREDIT)
                | Q(bucket=Bucket.ACQUIRED, year__isnull=False, amount__gte=0),
                name="ledger_yearly_credit_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.TOP_UP) | Q(bucket=Bucket.TOP_UP, amount__gt=0),
                name="ledger_top_up_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.ENGAGEMENT) | Q(amount__lt=0, dossier_id__isnull=False),
                name="ledger_engagement_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.RESTORATION) | Q(amount__gt=0, dossier_id__isnull=False),
                name="ledger_restoration_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.FORFEITURE)
                | Q(amount__lte=0, dossier_id__isnull=False, organisation_payment__isnull=True),
                name="ledger_forfeiture_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.PAYMENT)
                | (
                    Q(amount__lt=0, dossier_id__isnull=False, organisation_payment__isnull=False)
                    & ~Q(bucket=Bucket.NONE)
                ),
                name="ledger_payment_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.EXPIRY) | Q(bucket=Bucket.TOP_UP, amount__lt=0),
                name="ledger_expiry_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.FUNDER_RETURN) | Q(bucket=Bucket.TOP_UP, amount__lt=0),
                name="ledger_funder_return_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.CORRECTION) | (Q(agent__isnull=False) & ~Q(reason="") & ~Q(amount=0)),
                name="ledger_correction_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=MovementKind.CLOSURE) | Q(bucket=Bucket.NONE), name="ledger_closure_shape"
            ),
        ]

    def __str__(self):
        return f"{self.effective_on} {self.kind} {self.amount}"


class EmploymentDeclaration(models.Model):
    """An employer's yearly declaration for one employee (from the DSN): hours worked and absences."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="+", db_index=False)
    employer_siret = models.CharField(_("employer SIRET"), max_length=14)
    year = models.SmallIntegerField(_("year"))
    hours_worked = models.DecimalField(_("hours worked"), **HOURS)
    reference_hours = models.DecimalField(_("reference hours"), **HOURS)
    maternity_hours = models.DecimalField(AbsenceKind.MATERNITY.label, default=0, **HOURS)
    paternity_hours = models.DecimalField(AbsenceKind.PATERNITY.label, default=0, **HOURS)
    adoption_hours = models.DecimalField(AbsenceKind.ADOPTION.label, default=0, **HOURS)
    parental_presence_hours = models.DecimalField(AbsenceKind.PARENTAL_PRESENCE.label, default=0, **HOURS)
    parental_leave_hours = models.DecimalField(AbsenceKind.PARENTAL_LEAVE.label, default=0, **HOURS)
    carer_hours = models.DecimalField(AbsenceKind.CARER.label, default=0, **HOURS)
    work_accident_hours = models.DecimalField(AbsenceKind.WORK_ACCIDENT.label, default=0, **HOURS)
    occupational_disease_hours = models.DecimalField(AbsenceKind.OCCUPATIONAL_DISEASE.label, default=0, **HOURS)
    sick_leave_hours = models.DecimalField(AbsenceKind.SICK_LEAVE.label, default=0, **HOURS)
    partial_activity_hours = models.DecimalField(AbsenceKind.PARTIAL_ACTIVITY.label, default=0, **HOURS)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("employment declaration")
        verbose_name_plural = _("employment declarations")
        indexes = [models.Index(fields=["year", "holder"], name="employment_year_holder_idx")]
        constraints = [
            models.UniqueConstraint(fields=["holder", "employer_siret", "year"], name="employment_declaration_unique"),
            models.CheckConstraint(condition=Q(hours_worked__gte=0), name="employment_hours_not_negative"),
            models.CheckConstraint(condition=Q(reference_hours__gt=0), name="employment_reference_positive"),
            models.CheckConstraint(
                condition=Q(
                    maternity_hours__gte=0,
                    paternity_hours__gte=0,
                    adoption_hours__gte=0,
                    parental_presence_hours__gte=0,
                    parental_leave_hours__gte=0,
                    carer_hours__gte=0,
                    work_accident_hours__gte=0,
                    occupational_disease_hours__gte=0,
                    sick_leave_hours__gte=0,
                    partial_activity_hours__gte=0,
                ),
                name="employment_absences_not_negative",
            ),
        ]

    def absences(self) -> dict:
        return {kind: getattr(self, f"{kind}_hours") for kind in AbsenceKind.values if getattr(self, f"{kind}_hours")}


class SelfEmployedDeclaration(models.Model):
    """A self-employed person's year: months of activity and whether the training contribution was paid."""

    holder = models.ForeignKey("accounts.Holder", on_delete=models.PROTECT, related_name="+", db_index=False)
    year = models.SmallIntegerField(_("year"))
    months = models.SmallIntegerField(_("months of activity"))
    contribution_paid = models.BooleanField(_("training contribution paid"))
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("self-employed declaration")
        verbose_name_plural = _("self-employed declarations")
        indexes = [models.Index(fields=["year", "holder"], name="self_emp_year_holder_idx")]
        constraints = [
            models.UniqueConstraint(fields=["holder", "year"], name="self_employed_declaration_unique"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=12), name="self_employed_months_valid"),
        ]
