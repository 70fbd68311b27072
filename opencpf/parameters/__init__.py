"""Legal parameters (amounts, caps, delays) as dated YAML data. See `opencpf.parameters.loader`."""

from opencpf.parameters.loader import (
    InvalidParameterFile,
    Parameter,
    ParameterError,
    ParameterNotInForce,
    Period,
    Reference,
    UnknownParameter,
    all_citations,
    all_parameters,
    citation,
    parameter,
    references,
    value,
)

__all__ = [
    "InvalidParameterFile",
    "Parameter",
    "ParameterError",
    "ParameterNotInForce",
    "Period",
    "Reference",
    "UnknownParameter",
    "all_citations",
    "all_parameters",
    "citation",
    "parameter",
    "references",
    "value",
]
