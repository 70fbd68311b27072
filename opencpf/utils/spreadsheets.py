"""Reading CSV files saved by people: UTF-8 (with or without the BOM a spreadsheet adds) or Windows-1252/Latin-1
(what a French spreadsheet writes by default), `;` (French spreadsheets) or `,` as the separator."""

import csv
import io


def decode_spreadsheet(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found: UTF-8 when it decodes as such, else Windows-1252 (a
    superset of Latin-1), else Latin-1 itself (which decodes any byte)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str, candidates: str = ";,") -> str:
    """The separator of the header line: the candidate it contains most (`;` on a tie, French spreadsheets' own)."""
    header = text.split("\n", 1)[0]
    return max(candidates, key=lambda candidate: (header.count(candidate), candidate == ";"))


def read_rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_numbered_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The rows with the number of the file line each starts on (blank lines and quoted line breaks included), so
    that a report names the line a person sees in their editor."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, start = [], 1
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    return rows
