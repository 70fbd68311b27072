"""Funders' writes (one module per subject); import them from here."""

from opencpf.funders.selectors import file_top_up_ceiling
from opencpf.funders.services.bulk import ImportReport, LineReport, credits_import
from opencpf.funders.services.credits import (
    CreditError,
    credit_add,
    funder_create,
    funder_member_add,
    parse_amount,
)
from opencpf.funders.services.file_top_ups import (
    file_top_up_grant,
    file_top_up_refuse,
    file_top_up_request,
)

__all__ = [
    "CreditError",
    "ImportReport",
    "LineReport",
    "credit_add",
    "credits_import",
    "file_top_up_ceiling",
    "file_top_up_grant",
    "file_top_up_refuse",
    "file_top_up_request",
    "funder_create",
    "funder_member_add",
    "parse_amount",
]
