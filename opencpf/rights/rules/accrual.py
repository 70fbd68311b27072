"""What a year of work accrues: employees (hours, shares, counted absences) and the self-employed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from opencpf.parameters import citation
from opencpf.rights.rules.lines import ZERO, Kinds, Line, Money, Number, _line, gettext_noop, round_up_to_cent
from opencpf.rights.rules.year import YearParameters, _refs

MONTHS_PER_YEAR = 12


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
