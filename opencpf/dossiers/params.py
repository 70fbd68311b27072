"""The legal values a training file needs, read from the dated YAML parameters for the date of the event."""

import dataclasses
import datetime
from decimal import Decimal

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
