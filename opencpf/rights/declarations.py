"""Reading the yearly declarations (CSV) with a check of every line before anything is written.

Two formats, told apart by their header (or `kind=`):

Employment declarations (one line per employee, employer and year, as the DSN gives them):
    nir,siret,year,hours_worked,reference_hours[,maternity,paternity,adoption,parental_presence,
    parental_leave,carer,work_accident,occupational_disease,sick_leave,partial_activity]
  - `reference_hours` empty: the legal default (`rights/reference_hours`); absence columns are hours, optional,
    empty = 0.

Self-employed declarations:
    nir,year,months,contribution_paid
  - `months` of activity 1-12; `contribution_paid` true/false (also 1/0, yes/no, oui/non).

Separator `,` or `;`; decimals with `.` or `,`; UTF-8 (a BOM is fine). Line numbers in messages are the
file's lines, the header being line 1.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.fr import siret as stdnum_siret

from opencpf.accounts.models import Holder
from opencpf.accounts.nir import validate_nir
from opencpf.parameters import ParameterNotInForce
from opencpf.rights import rules
from opencpf.rights.enums import AbsenceKind
from opencpf.rights.models import EmploymentDeclaration, SelfEmployedDeclaration

EMPLOYMENT = "employment"
SELF_EMPLOYED = "self_employed"
KINDS = (EMPLOYMENT, SELF_EMPLOYED)

EMPLOYMENT_REQUIRED = ("nir", "siret", "year", "hours_worked", "reference_hours")
SELF_EMPLOYED_REQUIRED = ("nir", "year", "months", "contribution_paid")
HOURS_IN_A_YEAR = Decimal(366 * 24)  # no one works or is absent more hours than a (leap) year has
TRUE = {"true", "1", "yes", "oui", "y", "o", "vrai"}
FALSE = {"false", "0", "no", "non", "n", "faux"}


class LineError(Exception):
    pass


@dataclass
class ImportReport:
    kind: str
    rows: list = field(default_factory=list)  # model instances, not saved
    errors: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0
    written: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors


def _decimal(text: str, column: str) -> Decimal:
    cleaned = (text or "").strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise LineError(_("%(column)s is not a number: %(value)r.") % {"column": column, "value": text})
    if not value.is_finite():
        raise LineError(_("%(column)s is not a number: %(value)r.") % {"column": column, "value": text})
    if value < 0:
        raise LineError(_("%(column)s is negative (%(value)s).") % {"column": column, "value": text.strip()})
    if value != value.quantize(Decimal("0.01")):
        raise LineError(_("%(column)s has more than two decimals.") % {"column": column})
    return value


def _integer(text: str, column: str) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        raise LineError(_("%(column)s is not a whole number: %(value)r.") % {"column": column, "value": text})


def _year(text: str, today: datetime.date) -> int:
    year = _integer(text, "year")
    if year > today.year:
        raise LineError(_("year %(year)s is in the future.") % {"year": year})
    try:
        rules.YearParameters.for_year(year)
    except ParameterNotInForce:
        raise LineError(
            _("year %(year)s is before rights were counted in euros (%(first)s).")
            % {"year": year, "first": rules.first_year_in_euros()}
        )
    return year


def _header(reader_line: list[str]) -> list[str]:
    return [column.strip().lower().lstrip("\ufeff") for column in reader_line]


def _detect(header: list[str]) -> str | None:
    if "siret" in header:
        return EMPLOYMENT
    if "months" in header:
        return SELF_EMPLOYED
    return None


def read(
    stream: Iterable[str] | str, *, kind: str | None = None, source: str = "", today: datetime.date | None = None
) -> ImportReport:
    """Check every line; return the rows to write and every error (line number, reason). Writes nothing."""
    today = today or timezone.localdate()
    text = stream if isinstance(stream, str) else "".join(stream)
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    report = ImportReport(kind=kind or "")
    try:
        header = _header(next(reader))
    except StopIteration:
        report.errors.append((1, _("The file is empty.")))
        return report
    except csv.Error as error:
        report.errors.append((1, _("Malformed CSV: %(error)s.") % {"error": error}))
        return report
    report.kind = kind or _detect(header) or ""
    required = {EMPLOYMENT: EMPLOYMENT_REQUIRED, SELF_EMPLOYED: SELF_EMPLOYED_REQUIRED}.get(report.kind)
    if required is None:
        report.errors.append(
            (1, _("Unknown format: the header needs the columns of employment or self-employed declarations."))
        )
        return report
    missing = [column for column in required if column not in header]
    unknown = [c for c in header if c not in required and c not in AbsenceKind.values]
    if report.kind == SELF_EMPLOYED:
        unknown = [c for c in header if c not in required]
    if missing or unknown or len(set(header)) != len(header):
        problems = []
        if missing:
            problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)})
        if len(set(header)) != len(header):
            problems.append(_("a column appears twice"))
        report.errors.append((1, _("Bad header: %(problems)s.") % {"problems": "; ".join(problems)}))
        return report

    parsed: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            report.lines += 1
            if len(record) != len(header):
                report.errors.append(
                    (
                        line,
                        _("Malformed line: %(expected)s columns expected, %(found)s found.")
                        % {"expected": len(header), "found": len(record)},
                    )
                )
                continue
            values = dict(zip(header, record, strict=True))
            try:
                row = (_employment if report.kind == EMPLOYMENT else _self_employed)(values, today)
            except LineError as error:
                report.errors.append((line, str(error)))
                continue
            key = (row["nir"], row.get("employer_siret", ""), row["year"])
            if key in seen:
                report.errors.append((line, _("Duplicate of line %(line)s.") % {"line": seen[key]}))
                continue
            seen[key] = line
            parsed.append((line, row))
    except csv.Error as error:
        report.errors.append((reader.line_num, _("Malformed CSV: %(error)s.") % {"error": error}))
        return report

    holders = _holders([row["nir"] for _line, row in parsed])
    existing = _existing(report.kind, parsed, holders)
    model = EmploymentDeclaration if report.kind == EMPLOYMENT else SelfEmployedDeclaration
    for line, row in parsed:
        holder_id = holders.get(row["nir"])
        if holder_id is None:
            report.errors.append((line, _("Unknown NIR: no account holder has this social security number.")))
            continue
        key = (holder_id, row.get("employer_siret", ""), row["year"])
        if key in existing:
            report.errors.append((line, _("Already imported: this declaration exists in the database.")))
            continue
        fields = {k: v for k, v in row.items() if k != "nir"}
        report.rows.append(model(holder_id=holder_id, source=source[:200], **fields))
    report.errors.sort()
    return report


def _employment(values: dict[str, str], today: datetime.date) -> dict:
    nir = _nir(values["nir"])
    siret = (values["siret"] or "").strip().replace(" ", "")
    if not stdnum_siret.is_valid(siret):
        raise LineError(_("Invalid employer SIRET: %(siret)r.") % {"siret": values["siret"]})
    year = _year(values["year"], today)
    hours = _decimal(values["hours_worked"], "hours_worked")
    reference_text = (values.get("reference_hours") or "").strip()
    reference = (
        _decimal(reference_text, "reference_hours")
        if reference_text
        else rules.YearParameters.for_year(year).reference_hours
    )
    if reference <= 0 or reference > HOURS_IN_A_YEAR:
        raise LineError(
            _("reference_hours must be more than 0 and at most %(max)s.")
            % {"max": rules.format_number(HOURS_IN_A_YEAR)}
        )
    absences = {}
    for kind in AbsenceKind.values:
        text = (values.get(kind) or "").strip()
        absences[f"{kind}_hours"] = _decimal(text, kind) if text else Decimal(0)
    total = hours + sum(absences.values())
    if total > HOURS_IN_A_YEAR:
        raise LineError(
            _("Absurd hours: %(total)s hours worked or absent in one year (a year has at most %(max)s).")
            % {"total": rules.format_number(total), "max": rules.format_number(HOURS_IN_A_YEAR)}
        )
    return {
        "nir": nir,
        "employer_siret": siret,
        "year": year,
        "hours_worked": hours,
        "reference_hours": reference,
        **absences,
    }


def _self_employed(values: dict[str, str], today: datetime.date) -> dict:
    nir = _nir(values["nir"])
    year = _year(values["year"], today)
    months = _integer(values["months"], "months")
    if not 1 <= months <= 12:
        raise LineError(_("months must be between 1 and 12 (found %(months)s).") % {"months": months})
    paid_text = (values["contribution_paid"] or "").strip().lower()
    if paid_text in TRUE:
        paid = True
    elif paid_text in FALSE:
        paid = False
    else:
        raise LineError(_("contribution_paid must be true or false (found %(value)r).") % {"value": paid_text})
    return {"nir": nir, "year": year, "months": months, "contribution_paid": paid}


def _nir(text: str) -> str:
    try:
        return validate_nir(text)
    except ValidationError as error:
        raise LineError(_("Invalid NIR: %(reason)s") % {"reason": " ".join(error.messages)})


def _holders(nirs: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(nirs))
    for start in range(0, len(unique), 2000):
        found.update(Holder.objects.filter(nir__in=unique[start : start + 2000]).values_list("nir", "id"))
    return found


def _existing(kind: str, parsed: list[tuple[int, dict]], holders: dict[str, int]) -> set[tuple]:
    years = {row["year"] for _line, row in parsed}
    ids = sorted({holders[row["nir"]] for _line, row in parsed if row["nir"] in holders})
    existing: set[tuple] = set()
    for start in range(0, len(ids), 2000):
        batch = ids[start : start + 2000]
        if kind == EMPLOYMENT:
            existing.update(
                EmploymentDeclaration.objects.filter(holder_id__in=batch, year__in=years).values_list(
                    "holder_id", "employer_siret", "year"
                )
            )
        else:
            existing.update(
                (holder_id, "", year)
                for holder_id, year in SelfEmployedDeclaration.objects.filter(
                    holder_id__in=batch, year__in=years
                ).values_list("holder_id", "year")
            )
    return existing


@transaction.atomic
def write(report: ImportReport) -> int:
    """Write the checked rows, all or nothing (the database refuses duplicates that raced in meanwhile)."""
    model = EmploymentDeclaration if report.kind == EMPLOYMENT else SelfEmployedDeclaration
    model.objects.bulk_create(report.rows, batch_size=2000)
    report.written = len(report.rows)
    return report.written
