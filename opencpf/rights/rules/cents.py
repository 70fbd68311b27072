"""The same rule in integer cents, for the yearly batch over millions of holders."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from opencpf.rights.rules.accrual import MONTHS_PER_YEAR
from opencpf.rights.rules.year import YearParameters

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
