"""The legal values a training file's rules read, filled by the caller from the dated parameters."""

import dataclasses
from decimal import Decimal

from opencpf.dossiers.enums import FundingOrder


@dataclasses.dataclass(frozen=True)
class DossierParameters:
    """Legal values in force on a date (DESIGN §2.2–2.3). Each field is the parameter file of the same name
    (`dossiers/<field>.yaml`, see opencpf/parameters/README.md); a `<x>_days` delay gives the `<x>_before` date."""

    respond_days: int  # business days for the OF to answer a request
    earliest_start_days: int  # business days between a proposal and the session's start, at least
    accept_days: int  # business days for the holder to accept a proposal
    declare_entry_days: int  # business days after the start to declare entry
    declare_exit_days: int  # business days after the end to declare exit, "service fait"
    pay_days: int  # calendar days for the platform to pay the OF after the exit declaration
    max_open_requests: int  # open requests per holder for one training
    free_cancellation_days: int  # the holder cancels free of charge more than this many business days ahead
    late_cancellation_share: Decimal  # share of the price paid to the OF on late cancellation/no-show
    abandonment_minimum_share: Decimal  # the OF is paid at least this share on abandonment
    abandonment_full_share_above: Decimal  # above this attendance the OF is paid in full
    work_accident_exemption_rate: Decimal  # permanent incapacity rate exempting from the contribution
    funding_order: FundingOrder  # which rights are used first (R6333-3)

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type is int and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{field.name} must be a non-negative integer")
            if field.type is FundingOrder and value not in FundingOrder.values:
                raise ValueError(f"{field.name} must be one of {FundingOrder.values}")
            if field.type is Decimal and not (isinstance(value, Decimal) and 0 <= value <= 1):
                raise ValueError(f"{field.name} must be a Decimal share between 0 and 1")
        if self.abandonment_minimum_share > self.abandonment_full_share_above:
            raise ValueError("abandonment_minimum_share must not exceed abandonment_full_share_above")
