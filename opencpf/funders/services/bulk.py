"""Supplementary credits from a CSV file, each line through `credit_add`, with a report per line."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from opencpf.accounts.models import User
from opencpf.accounts.services import audit
from opencpf.funders import csv_format
from opencpf.funders.models import FunderOrganisation
from opencpf.funders.services.credits import CreditError, credit_add


@dataclass
class LineReport:
    line: int
    nir: str
    amount: str
    errors: list[str] = field(default_factory=list)
    credit_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    lines: list[LineReport]
    file_errors: list[str]
    written: bool
    encoding: str = ""

    @property
    def valid(self) -> list[LineReport]:
        return [line for line in self.lines if line.ok]

    @property
    def invalid(self) -> list[LineReport]:
        return [line for line in self.lines if not line.ok]

    @property
    def total(self) -> Decimal:
        return sum((Decimal(line.amount) for line in self.valid), Decimal("0.00"))


def credits_import(
    *,
    organisation: FunderOrganisation,
    user: User | None,
    raw: bytes,
    filename: str = "",
    skip_invalid: bool = False,
    wet_run: bool = False,
    on_date: datetime.date | None = None,
) -> ImportReport:
    """Credits from a CSV file (columns: `csv_format.COLUMNS`), each line through `credit_add`, with a report per
    line. All or nothing unless `skip_invalid` (then the valid lines are written and the others reported); dry
    unless `wet_run` (every line is still checked the real way, then rolled back)."""
    parsed = csv_format.parse(raw)
    report = ImportReport(lines=[], file_errors=parsed.file_errors, written=False, encoding=parsed.encoding)
    if parsed.file_errors:
        return report
    with transaction.atomic():
        for row in parsed.rows:
            line = LineReport(
                line=row.line, nir=row.masked_nir, amount=row.values.get("amount", ""), errors=row.errors
            )
            report.lines.append(line)
            if line.errors:
                continue
            try:
                with transaction.atomic():
                    credit = credit_add(
                        organisation=organisation,
                        user=user,
                        source=f"{filename[:150]}:{row.line}",
                        on_date=on_date,
                        **row.arguments,
                    )
                line.credit_id = credit.pk
                line.amount = f"{credit.top_up.amount:.2f}"
            except CreditError as error:
                line.errors = [message for messages in error.errors.values() for message in messages]
        refused = bool(report.invalid) and not skip_invalid
        if not wet_run or refused or not report.valid:
            transaction.set_rollback(True)
            for line in report.lines:
                line.credit_id = None
        else:
            report.written = True
            audit(
                actor=user,
                action="funder_credits_imported",
                target=f"funder:{organisation.pk}",
                lines=len(report.valid),
                refused=len(report.invalid),
            )
    return report
