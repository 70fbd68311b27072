"""The law of rights accrual as pure functions (no Django): DESIGN §2.1.

Every function returns the amount AND the explanation lines that justify it, each line citing its legal
reference. Amounts, caps, shares and the list of counted absences come from `opencpf.parameters`, read for
the year being credited (the values in force on 31 December of that year).

Lines carry an English message (a gettext msgid with `%(name)s` placeholders) and its parameters; the
Django side renders them in the user's language with `Line.render(gettext, money=..., number=...)`.

Rounding: below half the reference duration, and for self-employed months, the law rounds UP to the cent
("arrondi à la deuxième décimale, au centime d'euro supérieur", R6323-1 II and R6323-22), computed exactly
with fractions: an annual amount A for 800 h over a reference of R h gives A × 800 / R (e.g. 248.9109… →
credited 248.92).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from opencpf.parameters import Reference, citation, parameter

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONTHS_PER_YEAR = 12


def gettext_noop(message: str) -> str:
    """Marks a message for translation (Django's makemessages extracts `gettext_noop` calls) without Django."""
    return message


# --- values in lines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    amount: Decimal

    def __str__(self) -> str:
        return f"{self.amount:.2f} €"


@dataclass(frozen=True)
class Number:
    value: Decimal

    def __str__(self) -> str:
        return format_number(self.value)


@dataclass(frozen=True)
class Kinds:
    """Kinds of absence (codes of `rights.enums.AbsenceKind`), rendered as their labels on the Django side."""

    codes: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join(self.codes)


def format_number(value: Decimal) -> str:
    """1500 → "1500", 800.50 → "800.5": hours and shares without useless zeros."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Line:
    """One explanation line: a message, its values, and the legal texts it rests on."""

    message: str
    params: Mapping[str, object]
    references: tuple[Reference, ...]

    def render(
        self,
        translate: Callable[[str], str] = lambda message: message,
        money: Callable[[Decimal], str] = lambda amount: str(Money(amount)),
        number: Callable[[Decimal], str] = lambda value: format_number(value),
        kinds: Callable[[tuple[str, ...]], str] = lambda codes: ", ".join(codes),
    ) -> str:
        values = {}
        for key, item in self.params.items():
            if isinstance(item, Money):
                values[key] = money(item.amount)
            elif isinstance(item, Number):
                values[key] = number(item.value)
            elif isinstance(item, Kinds):
                values[key] = kinds(item.codes)
            else:
                values[key] = translate(item) if isinstance(item, str) and key.endswith("_label") else item
        return translate(self.message) % values

    @property
    def text(self) -> str:
        return self.render()

    @property
    def reference(self) -> str:
        return "; ".join(reference.title for reference in self.references)


def _line(message: str, references: Iterable[Reference], **params: object) -> Line:
    return Line(message=message, params=params, references=tuple(references))


# --- parameters of a year ------------------------------------------------------------------------------------


def parameters_date(year: int) -> datetime.date:
    """Rights for year N follow the law in force at the end of year N (they are credited during N+1)."""
    return datetime.date(year, 12, 31)


def to_money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def round_up_to_cent(value: Fraction) -> Decimal:
    """The smallest amount in cents that is not below `value` (R6323-1 II: "au centime d'euro supérieur")."""
    return (Decimal(math.ceil(value * 100)) / 100).quantize(CENT)


@dataclass(frozen=True)
class YearParameters:
    """The values the crediting of year N needs, read once from the dated parameters."""

    year: int
    annual_amount: Decimal
    annual_amount_priority: Decimal
    self_employed_annual_amount: Decimal
    cap: Decimal
    cap_priority: Decimal
    reference_hours: Decimal
    half_reference_share: Fraction
    absences_counted_as_work: tuple[str, ...]

    @classmethod
    def for_year(cls, year: int) -> YearParameters:
        return _year_parameters(year)

    def annual(self, priority: bool) -> Decimal:
        return self.annual_amount_priority if priority else self.annual_amount

    def cap_for(self, priority: bool) -> Decimal:
        return self.cap_priority if priority else self.cap


_YEAR_CACHE: dict[int, YearParameters] = {}


def _year_parameters(year: int) -> YearParameters:
    if year not in _YEAR_CACHE:
        on = parameters_date(year)
        _YEAR_CACHE[year] = YearParameters(
            year=year,
            annual_amount=to_money(parameter("rights/annual_amount").value(on)),
            annual_amount_priority=to_money(parameter("rights/annual_amount_priority").value(on)),
            self_employed_annual_amount=to_money(parameter("rights/self_employed_annual_amount").value(on)),
            cap=to_money(parameter("rights/cap").value(on)),
            cap_priority=to_money(parameter("rights/cap_priority").value(on)),
            reference_hours=Decimal(parameter("rights/reference_hours").value(on)),
            half_reference_share=Fraction(Decimal(parameter("rights/half_reference_share").value(on))),
            absences_counted_as_work=tuple(parameter("rights/absences_counted_as_work").value(on)),
        )
    return _YEAR_CACHE[year]


def _refs(name: str, year: int) -> tuple[Reference, ...]:
    return parameter(name).references(parameters_date(year))


# --- inputs --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Employment:
    """One employer's yearly declaration: hours worked, its reference duration, hours of absence by kind."""

    hours_worked: Decimal
    reference_hours: Decimal | None = None  # None: the legal default (`rights/reference_hours`)
    absences: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class SelfEmployment:
    months: int
    contribution_paid: bool = True


@dataclass(frozen=True)
class Accrual:
    """What one kind of activity earns for the year, before the cap."""

    amount: Decimal
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class YearlyCredit:
    year: int
    accrued: Decimal  # the year's amount before the cap
    cap: Decimal
    balance: Decimal  # acquired rights before the credit
    credit: Decimal
    new_balance: Decimal
    priority: bool
    lines: tuple[Line, ...]


# --- the rules -----------------------------------------------------------------------------------------------


def _priority_lines(year: int, low_qualified: bool, disabled_worker: bool) -> list[Line]:
    params = YearParameters.for_year(year)
    refs = _refs("rights/annual_amount_priority", year)
    lines = []
    if low_qualified:
        lines.append(
            _line(
                gettext_noop(
                    "Holder without a certification of level 3: yearly amount of %(annual)s and cap of %(cap)s."
                ),
                refs[:1] + _refs("rights/cap_priority", year),
                annual=Money(params.annual_amount_priority),
                cap=Money(params.cap_priority),
            )
        )
    if disabled_worker:
        lines.append(
            _line(
                gettext_noop("Disabled worker (BOETH): yearly amount of %(annual)s and cap of %(cap)s."),
                refs[1:] + _refs("rights/cap_priority", year),
                annual=Money(params.annual_amount_priority),
                cap=Money(params.cap_priority),
            )
        )
    return lines


def employee_share(employments: Iterable[Employment], year: int) -> Fraction:
    """Time worked as a share of a full year: the sum over employers of counted hours / reference hours."""
    params = YearParameters.for_year(year)
    share = Fraction(0)
    for employment in employments:
        reference = Fraction(employment.reference_hours or params.reference_hours)
        share += Fraction(counted_hours(employment, params.absences_counted_as_work)) / reference
    return share


def counted_hours(employment: Employment, absences_counted_as_work: Iterable[str]) -> Decimal:
    counted = set(absences_counted_as_work)
    return Decimal(employment.hours_worked) + sum(
        (Decimal(hours) for kind, hours in employment.absences.items() if kind in counted), Decimal(0)
    )


def _declared_absences(
    employments: tuple[Employment, ...], counted: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds of absence declared with hours, split into counted as worked (in the parameter's order) or not."""
    declared = [kind for e in employments for kind, hours in e.absences.items() if Decimal(hours)]
    counted = tuple(counted)
    return (
        tuple(kind for kind in counted if kind in declared),
        tuple(dict.fromkeys(kind for kind in declared if kind not in counted)),
    )


def employee_accrual(*, year: int, employments: Iterable[Employment], priority: bool = False) -> Accrual:
    """The annual amount (priority amount for the priority groups) when the year's counted time is at least half
    the reference; else pro rata, rounded up."""
    employments = tuple(employments)
    params = YearParameters.for_year(year)
    annual = params.annual(priority)
    annual_refs = _refs("rights/annual_amount_priority" if priority else "rights/annual_amount", year)
    lines: list[Line] = []
    absence_refs = _refs("rights/absences_counted_as_work", year)
    worked = sum((Decimal(e.hours_worked) for e in employments), Decimal(0))
    counted_kinds, other_kinds = _declared_absences(employments, params.absences_counted_as_work)
    counted_absence = sum(
        (Decimal(h) for e in employments for k, h in e.absences.items() if k in params.absences_counted_as_work),
        Decimal(0),
    )
    other_absence = sum(
        (Decimal(h) for e in employments for k, h in e.absences.items() if k not in params.absences_counted_as_work),
        Decimal(0),
    )
    lines.append(
        _line(
            # Two messages rather than "employer(s)": this pure module has no ngettext, and one employer is the rule.
            gettext_noop("Hours worked in %(year)s declared by one employer: %(hours)s h.")
            if len(employments) == 1
            else gettext_noop("Hours worked in %(year)s declared by %(employers)s employers: %(hours)s h."),
            (citation("accrual_by_work"),),
            year=year,
            employers=len(employments),
            hours=Number(worked),
        )
    )
    if counted_absence:
        lines.append(
            _line(
                gettext_noop("%(hours)s h of absence count as time worked (%(kinds)s)."),
                absence_refs,
                hours=Number(counted_absence),
                kinds=Kinds(counted_kinds),
            )
        )
    if other_absence:
        lines.append(
            _line(
                gettext_noop("%(hours)s h of other absence (%(kinds)s) do not count as time worked."),
                absence_refs,
                hours=Number(other_absence),
                kinds=Kinds(other_kinds),
            )
        )
    references = {Decimal(e.reference_hours or params.reference_hours) for e in employments}
    share = employee_share(employments, year)
    half = params.half_reference_share
    if len(references) == 1:
        reference = references.pop()
        hours = worked + counted_absence
        if reference != params.reference_hours:
            lines.append(
                _line(
                    gettext_noop("Full-time duration set by a collective agreement: %(reference)s h a year."),
                    _refs("rights/reference_hours", year),
                    reference=Number(reference),
                )
            )
        if share >= half:
            amount = annual
            lines.append(
                _line(
                    gettext_noop(
                        "%(hours)s h is at least half of the reference duration of %(reference)s h: "
                        "yearly amount of %(amount)s."
                    ),
                    annual_refs,
                    hours=Number(hours),
                    reference=Number(reference),
                    amount=Money(amount),
                )
            )
        else:
            amount = round_up_to_cent(Fraction(annual) * share)
            lines.append(
                _line(
                    gettext_noop(
                        "%(hours)s h is less than half of the reference duration of %(reference)s h: "
                        "%(annual)s × %(hours)s / %(reference)s = %(amount)s (rounded up to the cent)."
                    ),
                    annual_refs,
                    hours=Number(hours),
                    reference=Number(reference),
                    annual=Money(annual),
                    amount=Money(amount),
                )
            )
    else:
        percent = Decimal(share.numerator * 100) / Decimal(share.denominator)
        percent = percent.quantize(Decimal("0.01"))
        if share >= half:
            amount = annual
            lines.append(
                _line(
                    gettext_noop(
                        "Adding up each employer's hours over its own reference duration, you worked %(percent)s %% "
                        "of a full year, at least half: yearly amount of %(amount)s."
                    ),
                    annual_refs,
                    percent=Number(percent),
                    amount=Money(amount),
                )
            )
        else:
            amount = round_up_to_cent(Fraction(annual) * share)
            lines.append(
                _line(
                    gettext_noop(
                        "Adding up each employer's hours over its own reference duration, you worked %(percent)s %% "
                        "of a full year, less than half: %(annual)s pro rata = %(amount)s (rounded up to the cent)."
                    ),
                    annual_refs,
                    percent=Number(percent),
                    annual=Money(annual),
                    amount=Money(amount),
                )
            )
    return Accrual(amount=amount, lines=tuple(lines))


def self_employed_accrual(*, year: int, activity: SelfEmployment, priority: bool = False) -> Accrual:
    """The annual amount (priority amount for the priority groups) per full year of paid training contribution,
    pro rata by months, rounded up."""
    params = YearParameters.for_year(year)
    annual = params.annual_amount_priority if priority else params.self_employed_annual_amount
    refs = _refs("rights/self_employed_annual_amount", year)
    if not activity.contribution_paid or activity.months <= 0:
        return Accrual(
            amount=ZERO,
            lines=(
                _line(
                    gettext_noop(
                        "Self-employed in %(year)s, training contribution not paid: no rights for this activity."
                    ),
                    refs,
                    year=year,
                ),
            ),
        )
    months = min(activity.months, MONTHS_PER_YEAR)
    if months == MONTHS_PER_YEAR:
        amount = annual
        line = _line(
            gettext_noop("Self-employed over the whole of %(year)s with the training contribution paid: %(amount)s."),
            refs,
            year=year,
            amount=Money(amount),
        )
    else:
        amount = round_up_to_cent(Fraction(annual) * months / MONTHS_PER_YEAR)
        line = _line(
            gettext_noop(
                "Self-employed for %(months)s months of %(year)s with the training contribution paid: "
                "%(annual)s × %(months)s / 12 = %(amount)s (rounded up to the cent)."
            ),
            refs,
            year=year,
            months=months,
            annual=Money(annual),
            amount=Money(amount),
        )
    return Accrual(amount=amount, lines=(line,))


def capped_credit(*, year: int, accrued: Decimal, balance: Decimal, priority: bool) -> tuple[Decimal, Decimal, Line]:
    """credit = min(accrued, cap − acquired balance), never negative. Top-ups are not part of `balance`."""
    params = YearParameters.for_year(year)
    cap = params.cap_for(priority)
    refs = _refs("rights/cap_priority" if priority else "rights/cap", year)
    balance = to_money(balance)
    room = max(ZERO, cap - balance)
    credit = min(to_money(accrued), room)
    if room == ZERO:
        message = gettext_noop(
            "Your acquired rights (%(balance)s) already reach the cap of %(cap)s: nothing is credited. "
            "Top-ups do not count towards the cap."
        )
    elif credit < accrued:
        message = gettext_noop(
            "Your acquired rights (%(balance)s) are close to the cap of %(cap)s: only %(credit)s is credited. "
            "Top-ups do not count towards the cap."
        )
    else:
        message = gettext_noop(
            "Acquired rights of %(balance)s plus %(credit)s stay within the cap of %(cap)s. "
            "Top-ups do not count towards the cap."
        )
    line = _line(message, refs, balance=Money(balance), cap=Money(cap), credit=Money(credit))
    return credit, cap, line


def yearly_credit(
    *,
    year: int,
    employments: Iterable[Employment] = (),
    self_employment: SelfEmployment | None = None,
    job_seeker: bool = False,
    low_qualified: bool = False,
    disabled_worker: bool = False,
    balance: Decimal = ZERO,
) -> YearlyCredit:
    """A holder's credit for year N from that year's declarations and their acquired rights before it.

    Several employers add up; a person both employed and self-employed gets the sum of both, within one
    yearly amount. A job seeker with no activity accrues nothing and keeps what they have.
    """
    employments = tuple(employments)
    params = YearParameters.for_year(year)
    priority = low_qualified or disabled_worker
    lines: list[Line] = _priority_lines(year, low_qualified, disabled_worker)
    accrued = ZERO
    activities = 0
    if employments:
        accrual = employee_accrual(year=year, employments=employments, priority=priority)
        accrued += accrual.amount
        lines.extend(accrual.lines)
        activities += 1
    if self_employment is not None:
        accrual = self_employed_accrual(year=year, activity=self_employment, priority=priority)
        accrued += accrual.amount
        lines.extend(accrual.lines)
        activities += 1
    if activities > 1 and accrued > params.annual(priority):
        accrued = params.annual(priority)
        lines.append(
            _line(
                gettext_noop("Several activities in the same year: at most %(annual)s is earned for the year."),
                (citation("several_activities"),),
                annual=Money(accrued),
            )
        )
    if not activities:
        if job_seeker:
            lines.append(
                _line(
                    gettext_noop("Job seekers accrue no rights while unemployed."),
                    (citation("accrual_by_work"),),
                )
            )
            lines.append(
                _line(
                    gettext_noop("You keep the rights you already have (%(balance)s)."),
                    (citation("job_seeker_keeps_rights"),),
                    balance=Money(to_money(balance)),
                )
            )
        else:
            lines.append(
                _line(
                    gettext_noop("No activity declared for %(year)s: no rights accrue."),
                    (citation("accrual_by_work"),),
                    year=year,
                )
            )
    credit, cap, cap_line = capped_credit(year=year, accrued=accrued, balance=balance, priority=priority)
    if activities:
        lines.append(cap_line)
    balance = to_money(balance)
    return YearlyCredit(
        year=year,
        accrued=accrued,
        cap=cap,
        balance=balance,
        credit=credit,
        new_balance=balance + credit,
        priority=priority,
        lines=tuple(lines),
    )


# --- fast path for the yearly batch --------------------------------------------------------------------------


@dataclass(frozen=True)
class CentsRule:
    """The same rule as `yearly_credit`, in integer cents and hundredths of hours, for millions of holders.

    Tests check that it always agrees with `yearly_credit`.
    """

    annual: int
    annual_priority: int
    self_employed_annual: int
    cap: int
    cap_priority: int
    reference_x100: int
    half_num: int
    half_den: int

    @classmethod
    def for_year(cls, year: int) -> CentsRule:
        params = YearParameters.for_year(year)
        return cls(
            annual=int(params.annual_amount * 100),
            annual_priority=int(params.annual_amount_priority * 100),
            self_employed_annual=int(params.self_employed_annual_amount * 100),
            cap=int(params.cap * 100),
            cap_priority=int(params.cap_priority * 100),
            reference_x100=int(params.reference_hours * 100),
            half_num=params.half_reference_share.numerator,
            half_den=params.half_reference_share.denominator,
        )

    def employee(self, priority: bool, hours_x100: int, reference_x100: int) -> int:
        """Accrual in cents for counted hours over one reference duration (both in hundredths of hours)."""
        annual = self.annual_priority if priority else self.annual
        if hours_x100 * self.half_den >= reference_x100 * self.half_num:
            return annual
        return -(-annual * hours_x100 // reference_x100)  # ceiling division: rounded up to the cent

    def employee_share(self, priority: bool, share: Fraction) -> int:
        annual = self.annual_priority if priority else self.annual
        if share >= Fraction(self.half_num, self.half_den):
            return annual
        return math.ceil(annual * share)

    def self_employed(self, priority: bool, months: int, paid: bool) -> int:
        if not paid or months <= 0:
            return 0
        annual = self.annual_priority if priority else self.self_employed_annual
        if months >= MONTHS_PER_YEAR:
            return annual
        return -(-annual * months // MONTHS_PER_YEAR)

    def credit(self, priority: bool, accrued: int, several: bool, acquired: int) -> tuple[int, int]:
        """(credit, cap) in cents."""
        annual = self.annual_priority if priority else self.annual
        if several and accrued > annual:
            accrued = annual
        cap = self.cap_priority if priority else self.cap
        room = cap - acquired
        return (max(0, min(accrued, room)), cap)
