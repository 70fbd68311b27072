"""Reading a holder's rights: balances split by bucket, the history with its explanations, what is usable."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import formats, timezone
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opencpf.accounts.enums import ClosureReason, HolderStatus
from opencpf.accounts.models import Holder
from opencpf.parameters import Reference, citation, parameter
from opencpf.rights import rules
from opencpf.rights.calendar import CREDITING_DAY, credited_by, next_credited_year
from opencpf.rights.enums import REASON_SEPARATOR, SETTLEMENT_KINDS, AbsenceKind, Bucket, FunderKind, MovementKind
from opencpf.rights.models import (
    EmploymentDeclaration,
    LedgerEntry,
    RightsAccount,
    SelfEmployedDeclaration,
    TopUp,
)
from opencpf.utils.formatting import long_date
from opencpf.utils.legal import format_money, legal_value

ZERO = Decimal("0.00")


def format_number(value: Decimal) -> str:
    text = rules.format_number(Decimal(value))
    decimals = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(Decimal(text), decimals, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class RenderedLine:
    text: str
    references: tuple[Reference, ...]

    @property
    def reference(self) -> str:
        return "; ".join(reference.title for reference in self.references)


def absence_labels(codes) -> str:
    """("maternity", "carer") → "maternity leave and carer leave", in the active language."""
    labels = [str(AbsenceKind(code).label) for code in codes if code in AbsenceKind.values]
    return get_text_list([label[:1].lower() + label[1:] for label in labels], _("and"))


def absences_counted_as_work(on: datetime.date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds of absence counted as time worked on `on` (the dated parameter), and the others."""
    counted = tuple(parameter("rights/absences_counted_as_work").value(on))
    return counted, tuple(kind for kind in AbsenceKind.values if kind not in counted)


def absences_rule_text(on: datetime.date | None = None) -> str:
    """One sentence saying which absences count as time worked, from the parameter in force (today by default)."""
    counted, other = absences_counted_as_work(on or timezone.localdate())
    return _("%(counted)s count as time worked; %(other)s do not.") % {
        "counted": capfirst(absence_labels(counted)),
        "other": absence_labels(other),
    }


def reason_text(reason: str) -> str:
    """A stored movement reason in the reader's language: "<English label> — <free text>" from the settlement of a
    file (see opencpf.dossiers.services.settlement); the label is translated now, the free text is as written."""
    label, separator, rest = reason.partition(REASON_SEPARATOR)
    return f"{_(label)}{separator}{rest}" if label else reason


def render_lines(lines, translate: Callable[[str], str] = _) -> list[RenderedLine]:
    return [
        RenderedLine(
            text=line.render(translate, money=format_money, number=format_number, kinds=absence_labels),
            references=line.references,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class TopUpBalance:
    id: int
    funder_name: str
    funder_kind: str
    funder_kind_label: str
    amount: Decimal
    remaining: Decimal
    expires_on: datetime.date | None
    earmark_certifications: tuple[str, ...]
    earmark_offers: tuple[int, ...]
    created_on: datetime.date
    return_unused: bool = False
    for_dossier_id: int | None = None  # a file top-up: only for this training file


@dataclass(frozen=True)
class Balance:
    acquired: Decimal
    top_ups: Decimal
    cap: Decimal
    closed_on: datetime.date | None
    top_up_list: tuple[TopUpBalance, ...]

    @property
    def total(self) -> Decimal:
        return self.acquired + self.top_ups

    @property
    def room_under_cap(self) -> Decimal:
        return max(ZERO, self.cap - self.acquired)


def rights_balance(holder: Holder, on_date: datetime.date | None = None) -> Balance:
    account = RightsAccount.objects.filter(pk=holder.pk).first()
    priority = bool(holder.low_qualified or holder.disabled_worker)
    year = (on_date or timezone.localdate()).year
    cap = rules.YearParameters.for_year(year).cap_for(priority)
    # account.top_ups == sum(top_up.remaining) (the invariant of opencpf/rights/services.py, kept by every entry):
    # at zero there is nothing to list, and most holders' pages skip the query.
    top_ups = (
        TopUp.objects.filter(holder=holder, remaining__gt=0).order_by("expires_on", "id")
        if account is None or account.top_ups
        else ()
    )
    return Balance(
        acquired=account.acquired if account else ZERO,
        top_ups=account.top_ups if account else ZERO,
        cap=cap,
        closed_on=(account.closed_on if account else None) or holder.closed_on,
        top_up_list=tuple(
            TopUpBalance(
                id=t.pk,
                funder_name=t.funder_name,
                funder_kind=t.funder_kind,
                funder_kind_label=str(FunderKind(t.funder_kind).label),
                amount=t.amount,
                remaining=t.remaining,
                expires_on=t.expires_on,
                earmark_certifications=tuple(t.earmark_certifications),
                earmark_offers=tuple(t.earmark_offers),
                created_on=t.created_at.date(),
                return_unused=t.return_unused,
                for_dossier_id=t.for_dossier_id,
            )
            for t in top_ups
        ),
    )


def rights_available(
    *,
    holder: Holder,
    on_date: datetime.date | None = None,
    certification_code: str = "",
    offer_id: int | None = None,
) -> Decimal:
    """What could fund a training with this certification code or offer id on `on_date`."""
    buckets = rights_buckets(holder=holder, on_date=on_date, certification_code=certification_code, offer_id=offer_id)
    return sum((bucket.amount for bucket in buckets), ZERO)


def usable_top_ups(
    holder_id: int,
    on_date: datetime.date,
    certification_code: str = "",
    offer_id: int | None = None,
    dossier_id: int | None = None,
) -> list[TopUp]:
    """The top-ups that can fund this training on `on_date` (not expired, not earmarked for another training, not
    a file top-up of another file), by id. Which are used first is decided once, by `dossiers.rules.funding_order`."""
    candidates = (
        TopUp.objects.filter(holder_id=holder_id, remaining__gt=0)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on_date))
        .filter(Q(for_dossier_id__isnull=True) | Q(for_dossier_id=dossier_id))
    )
    code = (certification_code or "").strip().upper()
    usable = [t for t in candidates if t.matches(certification_code=code, offer_id=offer_id)]
    return sorted(usable, key=lambda t: t.pk)


@dataclass(frozen=True)
class UsableBucket:
    """Money that can fund a given training (the funding plan decides how much of each is used)."""

    id: int | str  # "acquired", or the top-up's id
    kind: str  # Bucket.ACQUIRED or Bucket.TOP_UP
    amount: Decimal
    earmarked_for_this_training: bool = False
    expires_on: datetime.date | None = None
    funder_kind: str = ""
    for_this_file: bool = False  # a file top-up ("abondement") of this very file


def rights_buckets(
    *,
    holder: Holder,
    on_date: datetime.date | None = None,
    certification_code: str = "",
    offer_id: int | None = None,
    dossier_id: int | None = None,
) -> list[UsableBucket]:
    """The buckets usable for a training (certification code or offer id) on `on_date`: top-ups by id, then
    acquired rights. Empty for a closed account. Not an order of use (`dossiers.rules.funding_order` decides)."""
    on_date = on_date or timezone.localdate()
    account = RightsAccount.objects.filter(pk=holder.pk).first()
    if account is None or account.closed_on or holder.closed_on:
        return []
    buckets = [
        UsableBucket(
            id=t.pk,
            kind=Bucket.TOP_UP,
            amount=t.remaining,
            earmarked_for_this_training=t.is_earmarked,
            expires_on=t.expires_on,
            funder_kind=t.funder_kind,
            for_this_file=t.for_dossier_id is not None,
        )
        for t in usable_top_ups(holder.pk, on_date, certification_code, offer_id, dossier_id)
    ]
    if account.acquired > 0:
        buckets.append(UsableBucket(id=Bucket.ACQUIRED.value, kind=Bucket.ACQUIRED, amount=account.acquired))
    return buckets


def ledger_sums(holder_id: int) -> dict[str, Decimal]:
    """Sum of the ledger's balance movements per bucket (the balances must equal it)."""
    sums = {Bucket.ACQUIRED.value: ZERO, Bucket.TOP_UP.value: ZERO}
    movements = LedgerEntry.objects.filter(holder_id=holder_id).exclude(kind__in=SETTLEMENT_KINDS)
    for row in movements.values("bucket").annotate(total=Sum("amount")):
        if row["bucket"] in sums:
            sums[row["bucket"]] = (row["total"] or ZERO).quantize(ZERO)  # SQLite sums decimals as floats
    return sums


# --- history -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    id: int
    date: datetime.date
    kind: str
    kind_label: str
    bucket: str
    amount: Decimal
    year: int | None
    dossier_id: int | None
    lines: tuple[RenderedLine, ...]


def _line(message: str, reference: Reference | tuple[Reference, ...], **params) -> rules.Line:
    references = reference if isinstance(reference, tuple) else (reference,)
    return rules.Line(message=message, params=params, references=references)


def _credit_lines(entry: LedgerEntry, declarations: dict, balance_before: Decimal) -> list[rules.Line]:
    details = entry.details or {}
    employments, activity = declarations.get(entry.year, ([], None))
    fallback = [
        _line(
            gettext_noop("Yearly credit for the work of %(year)s: %(amount)s."),
            citation("accrual_by_work"),
            year=entry.year,
            amount=rules.Money(entry.amount),
        )
    ]
    if not employments and activity is None:
        return fallback
    try:
        result = rules.yearly_credit(
            year=entry.year,
            employments=employments,
            self_employment=activity,
            low_qualified=bool(details.get("low_qualified")),
            disabled_worker=bool(details.get("disabled_worker")),
            balance=Decimal(details["balance"]) if "balance" in details else balance_before,
        )
    except Exception:
        return fallback
    if result.credit != entry.amount:
        return fallback
    return list(result.lines)


def _top_up_lines(entry: LedgerEntry) -> list[rules.Line]:
    top_up = entry.top_up
    lines = [
        _line(
            gettext_noop("Top-up from %(funder)s (%(funder_kind_label)s)."),
            citation("top_up"),
            funder=top_up.funder_name,
            funder_kind_label=FunderKind(top_up.funder_kind).label,
        )
    ]
    if top_up.is_earmarked:
        targets = [*top_up.earmark_certifications, *(f"#{offer}" for offer in top_up.earmark_offers)]
        lines.append(
            _line(
                gettext_noop("Earmarked: it can only fund these trainings: %(targets)s."),
                citation("top_up_expiry"),
                targets=", ".join(targets),
            )
        )
    if top_up.expires_on:
        lines.append(
            _line(
                gettext_noop("Usable until %(date)s; what is left after that day goes back to the funder, as agreed.")
                if top_up.return_unused
                else gettext_noop("Usable until %(date)s; what is left after that day expires."),
                citation("top_up_expiry"),
                date=long_date(top_up.expires_on),
            )
        )
    return lines


def _entry_lines(entry: LedgerEntry, declarations: dict, balance_before: Decimal = ZERO) -> list[rules.Line]:
    kind = entry.kind
    source = (
        _("the top-up from %(funder)s") % {"funder": entry.top_up.funder_name}
        if entry.top_up_id
        else _("your acquired rights")
    )
    if kind == MovementKind.YEARLY_CREDIT:
        return _credit_lines(entry, declarations, balance_before)
    if kind == MovementKind.TOP_UP:
        return _top_up_lines(entry)
    if kind == MovementKind.ENGAGEMENT:
        return [
            _line(
                gettext_noop("Used for training file no. %(dossier)s, taken from %(source)s."),
                citation("engagement"),
                dossier=entry.dossier_id,
                source=source,
            )
        ]
    if kind == MovementKind.RESTORATION:
        lines = [
            _line(
                gettext_noop("Given back from training file no. %(dossier)s to %(source)s."),
                citation("restoration"),
                dossier=entry.dossier_id,
                source=source,
            )
        ]
        if entry.reason:
            lines.append(
                _line(gettext_noop("Reason: %(reason)s"), citation("restoration"), reason=reason_text(entry.reason))
            )
        return lines
    if kind in SETTLEMENT_KINDS:
        # Written before issue 8, a forfeiture had amount 0 and what it concerned in `details`.
        lost = rules.Money(-entry.amount if entry.amount else Decimal(entry.details.get("lost", "0")))
        if kind == MovementKind.PAYMENT or entry.details.get("cause") == "spent":
            return [
                _line(
                    gettext_noop("%(lost)s paid the training organisation for training file no. %(dossier)s."),
                    citation("engagement"),
                    lost=lost,
                    dossier=entry.dossier_id,
                )
            ]
        if entry.details.get("cause") == "cap":
            return [
                _line(
                    gettext_noop(
                        "%(lost)s of training file no. %(dossier)s could not come back: your acquired rights "
                        "reached the cap meanwhile."
                    ),
                    parameter("rights/cap").references(entry.effective_on),
                    lost=lost,
                    dossier=entry.dossier_id,
                )
            ]
        lines = [
            _line(
                gettext_noop(
                    "%(lost)s engaged for training file no. %(dossier)s are lost. Your balance does not change: "
                    "these rights had left it when the file was accepted."
                ),
                citation("forfeiture"),
                lost=lost,
                dossier=entry.dossier_id,
            )
        ]
        if entry.reason:
            lines.append(
                _line(gettext_noop("Reason: %(reason)s"), citation("forfeiture"), reason=reason_text(entry.reason))
            )
        return lines
    if kind == MovementKind.EXPIRY:
        return [
            _line(
                gettext_noop("The top-up from %(funder)s expired: it was usable until %(date)s."),
                citation("top_up_expiry"),
                funder=entry.top_up.funder_name,
                date=long_date(entry.top_up.expires_on) if entry.top_up.expires_on else "",
            )
        ]
    if kind == MovementKind.FUNDER_RETURN:
        return [
            _line(
                gettext_noop(
                    "The unused part of the top-up from %(funder)s went back to it, as agreed: it was usable "
                    "until %(date)s."
                ),
                citation("top_up_expiry"),
                funder=entry.top_up.funder_name,
                date=long_date(entry.top_up.expires_on) if entry.top_up.expires_on else "",
            )
        ]
    if kind == MovementKind.CORRECTION:
        return [
            _line(
                gettext_noop("Correction by the Caisse des Dépôts: %(reason)s"),
                citation("correction"),
                reason=entry.reason,
            )
        ]
    if kind == MovementKind.CLOSURE:
        reason = entry.details.get("reason", "")
        label = ClosureReason(reason).label if reason in ClosureReason.values else reason
        return [
            _line(
                gettext_noop("Account closed (%(reason_label)s): no more credits, and the rights cannot be used."),
                citation("closure"),
                reason_label=label,
            )
        ]
    return []  # pragma: no cover


def _declarations_by_year(holder_id: int, years: set[int]) -> dict:
    if not years:
        return {}
    result: dict[int, tuple[list, rules.SelfEmployment | None]] = defaultdict(lambda: ([], None))
    employments: dict[int, list] = defaultdict(list)
    for declaration in EmploymentDeclaration.objects.filter(holder_id=holder_id, year__in=years).order_by("id"):
        employments[declaration.year].append(
            rules.Employment(
                hours_worked=declaration.hours_worked,
                reference_hours=declaration.reference_hours,
                absences=declaration.absences(),
            )
        )
    activities = {
        d.year: rules.SelfEmployment(months=d.months, contribution_paid=d.contribution_paid)
        for d in SelfEmployedDeclaration.objects.filter(holder_id=holder_id, year__in=years)
    }
    for year in years:
        result[year] = (employments.get(year, []), activities.get(year))
    return dict(result)


def rights_history(holder: Holder, translate: Callable[[str], str] = _) -> list[HistoryItem]:
    """Every movement, newest first, each with its plain explanation and legal references."""
    entries = list(LedgerEntry.objects.filter(holder=holder).select_related("top_up").order_by("id"))
    years = {e.year for e in entries if e.kind == MovementKind.YEARLY_CREDIT and e.year}
    declarations = _declarations_by_year(holder.pk, years)
    # The acquired balance before each movement: the sum of the earlier ones (balances equal the ledger).
    before: dict[int, Decimal] = {}
    running = ZERO
    for entry in entries:
        before[entry.pk] = running
        if entry.bucket == Bucket.ACQUIRED and entry.kind not in SETTLEMENT_KINDS:
            running += entry.amount
    entries.sort(key=lambda e: (e.effective_on, e.pk), reverse=True)
    return [
        HistoryItem(
            id=entry.pk,
            date=entry.effective_on,
            kind=entry.kind,
            kind_label=_("Training paid")
            if entry.kind == MovementKind.PAYMENT
            or (entry.kind == MovementKind.FORFEITURE and entry.details.get("cause") == "spent")
            else str(MovementKind(entry.kind).label),
            bucket=entry.bucket,
            # What the balance did: settlements of engaged rights leave it as it is (it moved at engagement).
            amount=ZERO if entry.kind in SETTLEMENT_KINDS else entry.amount,
            year=entry.year,
            dossier_id=entry.dossier_id,
            lines=tuple(render_lines(_entry_lines(entry, declarations, before[entry.pk]), translate)),
        )
        for entry in entries
    ]


# --- the simulator ---------------------------------------------------------------------------------------------


def credit_simulate(
    *,
    year: int,
    status: str,
    hours_worked: Decimal | None = None,
    reference_hours: Decimal | None = None,
    months_active: int | None = None,
    low_qualified: bool = False,
    disabled_worker: bool = False,
    balance: Decimal | None = None,
) -> rules.YearlyCredit:
    """What a year in this situation would credit (the public simulator, web page and API alike)."""
    return rules.yearly_credit(
        year=year,
        employments=[rules.Employment(hours_worked=hours_worked, reference_hours=reference_hours)]
        if status == HolderStatus.EMPLOYEE
        else [],
        self_employment=rules.SelfEmployment(months=months_active, contribution_paid=True)
        if status == HolderStatus.SELF_EMPLOYED
        else None,
        job_seeker=status == HolderStatus.JOB_SEEKER,
        low_qualified=low_qualified,
        disabled_worker=disabled_worker,
        balance=balance or ZERO,
    )


@dataclass(frozen=True)
class EmptyAccountOutlook:
    """Why a holder's account shows 0 € and when rights arrive: rights for year N are credited during N+1, from
    the hours the employers declared (DESIGN §2.1, Code du travail L6323-11)."""

    ever_credited: bool  # rights came in before, and were used
    job_seeker: bool  # no rights accrue while unemployed
    worked_year: int  # the year whose work is credited next
    credited_by: datetime.date  # the last day that credit arrives (rights/crediting_day)
    annual_amount: str  # a full year's credit in force, formatted for people
    references: tuple[Reference, ...]


def _each_article_once(references: tuple[Reference, ...]) -> tuple[Reference, ...]:
    first: dict[str, Reference] = {}
    for reference in references:
        first.setdefault(reference.href, reference)
    return tuple(first.values())


def empty_account_outlook(holder: Holder, *, today: datetime.date) -> EmptyAccountOutlook:
    """Only for an account at 0 €: one query. The credit for last year comes this year unless it is already in."""
    credited_years = set(
        LedgerEntry.objects.filter(holder=holder, kind=MovementKind.YEARLY_CREDIT).values_list("year", flat=True)
    )
    worked_year = next_credited_year(today=today, last_year_credited=today.year - 1 in credited_years)
    priority = bool(holder.low_qualified or holder.disabled_worker)
    return EmptyAccountOutlook(
        ever_credited=bool(credited_years) or LedgerEntry.objects.filter(holder=holder).exists(),
        job_seeker=holder.status == HolderStatus.JOB_SEEKER,
        worked_year=worked_year,
        credited_by=credited_by(worked_year),
        annual_amount=legal_value("rights/annual_amount_priority" if priority else "rights/annual_amount", on=today),
        references=_each_article_once(
            parameter("rights/annual_amount").references(today)
            + parameter(CREDITING_DAY).references(datetime.date(worked_year + 1, 1, 1))
        ),
    )
