"""The legal values a training file needs, read from the dated YAML parameters for the date of the event."""

import datetime
from decimal import Decimal

from opencpf.catalogue.enums import CertificationKind
from opencpf.dossiers.enums import FundingOrder
from opencpf.dossiers.funding_limits import FundingLimitParameters
from opencpf.dossiers.rules import DossierParameters
from opencpf.parameters import ParameterNotInForce
from opencpf.parameters.loader import value

ZERO = Decimal("0.00")


def dossier_parameters(on: datetime.date) -> DossierParameters:
    return DossierParameters(
        respond_days=int(value("dossiers/respond_delay", on=on)),
        min_start_days=int(value("dossiers/proposal_min_start_delay", on=on)),
        accept_days=int(value("dossiers/accept_delay", on=on)),
        entry_declaration_days=int(value("dossiers/entry_declaration_delay", on=on)),
        exit_declaration_days=int(value("dossiers/exit_declaration_delay", on=on)),
        payment_days=int(value("dossiers/payment_delay", on=on)),
        max_open_requests=int(value("dossiers/max_open_requests", on=on)),
        free_cancellation_days=int(value("dossiers/free_cancellation_delay", on=on)),
        late_cancellation_of_share=Decimal(value("dossiers/late_cancellation_share", on=on)),
        abandonment_minimum_share=Decimal(value("dossiers/abandon_minimum_share", on=on)),
        abandonment_full_share_above=Decimal(value("dossiers/abandon_full_payment_threshold", on=on)),
        work_accident_exemption_rate=Decimal(value("contribution/work_accident_exemption_rate", on=on)),
        funding_order=FundingOrder(value("dossiers/funding_order", on=on)),
    )


def flat_contribution(on: datetime.date) -> Decimal:
    """The flat contribution in force on `on` (L6323-4); none before it existed (2 May 2024)."""
    try:
        return Decimal(value("contribution/flat_contribution", on=on)).quantize(Decimal("0.01"))
    except ParameterNotInForce:
        return ZERO


# Caps of the 2026 finance law, by certification kind (each a dated parameter; planned ones are not in force).
CAP_PARAMETERS = {
    CertificationKind.DRIVING_LICENCE: "funding_limits/driving_licence_b_cap",
    CertificationKind.SKILLS_ASSESSMENT: "funding_limits/skills_assessment_cap",
    CertificationKind.RS: "funding_limits/specific_directory_cap",
}


def _in_force(name: str, on: datetime.date, default=None):
    try:
        return value(name, on=on)
    except ParameterNotInForce:
        return default


def funding_limit_parameters(on: datetime.date) -> FundingLimitParameters:
    caps = {kind: _in_force(name, on) for kind, name in CAP_PARAMETERS.items()}
    return FundingLimitParameters(
        driving_licence_b_restricted=bool(_in_force("funding_limits/driving_licence_b_restricted", on, False)),
        driving_licence_b_codes=frozenset(
            code.upper() for code in _in_force("funding_limits/driving_licence_b_codes", on, [])
        ),
        caps={kind: Decimal(cap).quantize(Decimal("0.01")) for kind, cap in caps.items() if cap is not None},
        uncapped_certifications=frozenset(
            code.upper() for code in _in_force("funding_limits/specific_directory_cap_exceptions", on, [])
        ),
    )
