"""The dated parameters the crediting of a year reads (the values in force on 31 December)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from opencpf.parameters import ParameterNotInForce, Reference, parameter
from opencpf.rights.rules.lines import to_money

# --- parameters of a year ------------------------------------------------------------------------------------


def first_year_in_euros() -> int:
    """The first year rights were counted in euros: the yearly amount's first period."""
    return parameter("rights/annual_amount").periods[0].start.year


def parameters_date(year: int) -> datetime.date:
    """Rights for year N follow the law in force at the end of year N (they are credited during N+1).

    A year no calendar date can hold (0, negative, past 9999: a typing slip or a fuzzer) has no law in force either,
    and says so as any year before `first_year_in_euros` does, so that every caller answers it with its message."""
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ParameterNotInForce(f"no law in force in year {year}")
    return datetime.date(year, 12, 31)


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
