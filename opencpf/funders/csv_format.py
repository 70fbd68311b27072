"""The CSV file of supplementary credits a funder uploads (web) or gives to `import_funder_credits`.

One header line, then one credit per line; UTF-8 (with or without a BOM) or Windows-1252/Latin-1, `;` or `,`:

    nir;last_name;amount;earmark_certifications;earmark_offers;expires_on;return_unused
    1 85 05 78 006 084 36;Martin;500,00;RNCP37274 RS5432;;2027-06-30;oui

`nir`, `last_name` (birth name) and `amount` (euros, `.` or `,` for the cents) are required; certifications and
offer ids are separated by spaces or `|`; `expires_on` is YYYY-MM-DD or DD/MM/YYYY; `return_unused` is oui/non
(yes/no, 1/0; empty: no). The same line twice is refused as a duplicate (a double upload must not credit twice).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from opencpf.accounts.nir import normalize_nir
from opencpf.accounts.selectors import _comparable_name
from opencpf.utils.spreadsheets import decode_spreadsheet, read_numbered_rows, sniff_delimiter

COLUMNS = ("nir", "last_name", "amount", "earmark_certifications", "earmark_offers", "expires_on", "return_unused")
REQUIRED = ("nir", "last_name", "amount")
MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 10_000
TRUE = {"oui", "o", "yes", "y", "1", "true", "vrai", "x"}
FALSE = {"", "non", "n", "no", "0", "false", "faux"}


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    arguments: dict = field(default_factory=dict)

    @property
    def masked_nir(self) -> str:
        """The NIR as a report shows it: enough to find the line, not the whole number."""
        digits = "".join(ch for ch in self.values.get("nir", "") if ch.isalnum())
        return f"{digits[:5]}…{digits[-2:]}" if len(digits) > 7 else "…"


@dataclass
class Parsed:
    rows: list[Row]
    file_errors: list[str]
    encoding: str = ""


def _date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _row(line: int, values: dict[str, str]) -> Row:
    row = Row(line=line, values=values)
    for name in REQUIRED:
        if not values.get(name, "").strip():
            row.errors.append(_("Column %(column)s is empty.") % {"column": name})
    offers: list[int] = []
    for token in values.get("earmark_offers", "").replace("|", " ").split():
        if not token.isdigit() or len(token) > 12:
            row.errors.append(_("An offer is given by its number: %(value)s.") % {"value": token[:20]})
        else:
            offers.append(int(token))
    expires_on = None
    if values.get("expires_on", "").strip():
        try:
            expires_on = _date(values["expires_on"])
        except ValueError:
            row.errors.append(_("Enter the expiry date as YYYY-MM-DD or DD/MM/YYYY."))
    flag = values.get("return_unused", "").strip().lower()
    if flag not in TRUE | FALSE:
        row.errors.append(_("return_unused is oui or non."))
    row.arguments = {
        "nir": values.get("nir", ""),
        "last_name": values.get("last_name", ""),
        "amount": values.get("amount", ""),
        "earmark_certifications": values.get("earmark_certifications", "").replace("|", " ").split(),
        "earmark_offers": offers,
        "expires_on": expires_on,
        "return_unused": flag in TRUE,
    }
    return row


def _same_credit_key(row: Row) -> tuple:
    """What makes two lines the same credit, whatever their spelling: NIR spaces, name case and accents, "100" or
    "100,00", date layout, oui/yes, the order of the earmarks. (Two equal credits on purpose go in two files.)"""
    values, arguments = row.values, row.arguments
    text = values.get("amount", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount: Decimal | str = Decimal(text)
    except (InvalidOperation, ValueError):
        amount = text
    if isinstance(amount, Decimal) and not amount.is_finite():  # a NaN cannot be a dictionary key
        amount = text
    return (
        normalize_nir(values.get("nir", "")).upper(),
        _comparable_name(values.get("last_name", "")),
        amount,
        tuple(sorted(code.upper() for code in arguments["earmark_certifications"])),
        tuple(sorted(arguments["earmark_offers"])),
        arguments["expires_on"] or values.get("expires_on", "").strip(),
        arguments["return_unused"],
    )


def parse(raw: bytes) -> Parsed:
    if len(raw) > MAX_BYTES:
        return Parsed(rows=[], file_errors=[_("The file is larger than 5 MB: split it.")])
    if b"\x00" in raw:
        return Parsed(rows=[], file_errors=[_("This is not a CSV text file.")])
    text, encoding = decode_spreadsheet(raw)
    numbered = read_numbered_rows(text, sniff_delimiter(text))
    rows = [(number, cells) for number, cells in numbered if any(cell.strip() for cell in cells)]
    if not rows:
        return Parsed(rows=[], file_errors=[_("The file is empty.")], encoding=encoding)
    header = [cell.strip().lower() for cell in rows[0][1]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return Parsed(
            rows=[],
            file_errors=[
                _("The header line must name the columns %(columns)s.") % {"columns": ", ".join(COLUMNS)},
            ],
            encoding=encoding,
        )
    if len(rows) - 1 > MAX_LINES:
        return Parsed(rows=[], file_errors=[_("At most 10,000 lines per file: split it.")], encoding=encoding)
    parsed: list[Row] = []
    seen: dict[tuple, int] = {}
    for number, cells in rows[1:]:
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}
        row = _row(number, values)
        if len(cells) > len(header):
            row.errors.append(_("This line has more columns than the header."))
        key = _same_credit_key(row)
        if key in seen:
            row.errors.append(_("Same line as line %(line)s: a duplicate.") % {"line": seen[key]})
        else:
            seen[key] = number
        parsed.append(row)
    if not parsed:
        return Parsed(rows=[], file_errors=[_("The file has no credit line.")], encoding=encoding)
    return Parsed(rows=parsed, file_errors=[], encoding=encoding)
