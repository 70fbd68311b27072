"""The legal values a training file needs, read from the dated YAML parameters for the date of the event."""

import dataclasses
import datetime
from decimal import Decimal

from opencpf.catalogue.enums import CertificationKind
from opencpf.dossiers.funding_limits import FundingLimitParameters
from opencpf.dossiers.rules import DossierParameters
from opencpf.parameters import ParameterNotInForce
from opencpf.parameters.loader import value

ZERO = Decimal("0.00")

# A field of DossierParameters is the parameter file of the same name (opencpf/parameters/README.md), in
# `dossiers/` unless said here.
FIELD_AREAS = {"work_accident_exemption_rate": "contribution"}


def parameter_name(field: str) -> str:
    """`accept_days` → "dossiers/accept_days": the parameter behind a field of DossierParameters."""
    return f"{FIELD_AREAS.get(field, 'dossiers')}/{field}"


def dossier_parameters(on: datetime.date) -> DossierParameters:
    values = {}
    for field in dataclasses.fields(DossierParameters):
        raw = value(parameter_name(field.name), on=on)
        values[field.name] = Decimal(raw) if field.type is Decimal else field.type(raw)
    return DossierParameters(**values)


def flat_contribution(on: datetime.date) -> Decimal:
    """The flat contribution in force on `on` (L6323-4); none before it existed."""
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
