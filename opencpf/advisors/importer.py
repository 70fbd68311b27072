"""Loading the directory of advisor sites from a CSV file (`manage.py load_advisor_sites`).

Columns (header line, any order, case ignored; the French names in brackets are accepted too):
    code (identifiant)            required  the site's stable identifier: a site already loaded with it is updated
    name (nom)                    required
    networks (reseaux)            required  one or more of france_travail, apec, cap_emploi, mission_locale,
                                            regional_operator, abroad, separated by `|` ("Cap emploi" works too)
    address (adresse)             required  street and number
    postal_code (code_postal)     required  5 digits (a spreadsheet's 4-digit "1000" is read as 01000)
    city (ville, commune)         required  must be a commune of the postal code (coordinates come from it)
    phone (telephone)             required
    opening_hours (horaires)      required  free text, e.g. "Mon-Fri 9:00-12:30, 13:30-17:00"
    accessibility (accessibilite) optional  free text, e.g. "Step-free access, hearing loop"
    status (statut)               optional  open (default) or closed (ouvert / ferme)
    remote_only (a_distance)      optional  yes/no (oui/non, 1/0): phone and video appointments only
    email                         optional
    latitude, longitude           optional  decimal degrees; when absent, the commune's centre is used
The file may be UTF-8 (with or without BOM) or Windows-1252/Latin-1, separated by `;` or `,`. A line repeated
identically is reported and ignored; the same code with other values is an error. Sites absent from the file are
left as they are.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.advisors.enums import Network, SiteStatus
from opencpf.advisors.models import AdvisorSite, AdvisorSiteNetwork
from opencpf.places.selectors import place_for, places_for_postal_code
from opencpf.utils.spreadsheets import decode_spreadsheet, read_rows, sniff_delimiter

REQUIRED = ("code", "name", "networks", "address", "postal_code", "city", "phone", "opening_hours")
OPTIONAL = ("accessibility", "status", "remote_only", "email", "latitude", "longitude")
ALIASES = {
    "identifiant": "code",
    "nom": "name",
    "reseaux": "networks",
    "reseau": "networks",
    "network": "networks",
    "adresse": "address",
    "code_postal": "postal_code",
    "cp": "postal_code",
    "ville": "city",
    "commune": "city",
    "telephone": "phone",
    "horaires": "opening_hours",
    "accessibilite": "accessibility",
    "statut": "status",
    "a_distance": "remote_only",
    "courriel": "email",
}
MAX_LENGTHS = {
    "code": 40,
    "name": 200,
    "address": 200,
    "city": 120,
    "phone": 20,
    "opening_hours": 300,
    "accessibility": 300,
    "email": 254,
}
YES = {"yes", "oui", "1", "true", "vrai", "y", "o"}
NO = {"no", "non", "0", "false", "faux", "n", ""}
STATUSES = {"open": SiteStatus.OPEN, "ouvert": SiteStatus.OPEN, "": SiteStatus.OPEN}
STATUSES |= {"closed": SiteStatus.CLOSED, "ferme": SiteStatus.CLOSED}
PHONE_RE = re.compile(r"^\+?[0-9 .\-()]{6,20}$")
CODE_RE = re.compile(r"^[A-Za-z0-9._\-]+$")


class SiteFileError(Exception):
    """The file cannot be read at all (empty, missing columns)."""


@dataclass
class LineResult:
    number: int
    code: str
    outcome: str  # created, updated, unchanged, duplicate, invalid
    messages: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    encoding: str = ""
    delimiter: str = ""
    lines: list[LineResult] = field(default_factory=list)
    written: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def invalid(self) -> list[LineResult]:
        return [line for line in self.lines if line.outcome == "invalid"]


def _plain(text: str) -> str:
    """ "Réseaux " → "reseaux": to compare headers and keywords typed by people."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _networks(value: str) -> list[str]:
    networks = []
    for part in re.split(r"[|+/]", value):
        if not part.strip():
            continue
        name = _plain(part)
        if name not in Network.values:
            raise ValueError(
                _("Unknown network %(name)r: use %(known)s.")
                % {"name": part.strip(), "known": ", ".join(Network.values)}
            )
        if name not in networks:
            networks.append(name)
    if not networks:
        raise ValueError(_("Give at least one network."))
    return networks


def _coordinate(value: str, bound: float) -> float:
    number = float(value.replace(",", ".").strip())
    if not -bound <= number <= bound:
        raise ValueError
    return number


def _parse(row: dict[str, str]) -> tuple[dict, list[str], list[str]]:
    """The site's fields, its networks, and the problems found (empty when the line is good)."""
    errors: list[str] = []
    values = {name: (row.get(name) or "").strip() for name in REQUIRED + OPTIONAL}
    for name, value in values.items():
        if "\x00" in value or any(unicodedata.category(char) == "Cc" for char in value):
            errors.append(_("%(column)s: control characters are not allowed.") % {"column": name})
            values[name] = ""
    for name in REQUIRED:
        if not values[name] and not any(name in message for message in errors):
            errors.append(_("%(column)s: this column is empty.") % {"column": name})
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            errors.append(_("%(column)s: at most %(limit)s characters.") % {"column": name, "limit": limit})
    if values["code"] and not CODE_RE.match(values["code"]):
        errors.append(_("code: letters, digits, dots, dashes and underscores only."))
    networks: list[str] = []
    if values["networks"]:
        try:
            networks = _networks(values["networks"])
        except ValueError as error:
            errors.append(f"networks: {error}")
    postal_code = re.sub(r"\s", "", values["postal_code"])
    if re.fullmatch(r"\d{4}", postal_code):
        postal_code = "0" + postal_code  # a spreadsheet dropped the leading zero
    if postal_code and not re.fullmatch(r"\d{5}", postal_code):
        errors.append(_("postal_code: 5 digits expected."))
    if values["phone"] and not PHONE_RE.match(values["phone"]):
        errors.append(_("phone: digits, spaces and an optional leading + only."))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(_("email: not a valid email address."))
    status = STATUSES.get(_plain(values["status"]))
    if status is None:
        errors.append(_("status: open or closed expected."))
    remote = _plain(values["remote_only"])
    if remote not in YES | NO:
        errors.append(_("remote_only: yes or no expected."))
    latitude = longitude = None
    if values["latitude"] or values["longitude"]:
        try:
            latitude, longitude = _coordinate(values["latitude"], 90), _coordinate(values["longitude"], 180)
        except ValueError:
            errors.append(_("latitude, longitude: two decimal degrees expected (e.g. 48.8566 and 2.3522)."))
    elif re.fullmatch(r"\d{5}", postal_code) and values["city"]:
        place = place_for(postal_code, values["city"])
        if place is None:
            communes = [p.name for p in places_for_postal_code(postal_code)]
            if communes:
                errors.append(
                    _("city: %(city)s is not a commune of %(postal_code)s (%(communes)s).")
                    % {"city": values["city"], "postal_code": postal_code, "communes": ", ".join(communes[:5])}
                )
            else:
                errors.append(_("postal_code: unknown postal code %(postal_code)s.") % {"postal_code": postal_code})
        else:
            latitude, longitude = place.latitude, place.longitude
    fields = {
        "name": values["name"],
        "address": values["address"],
        "postal_code": postal_code,
        "city": values["city"],
        "latitude": latitude,
        "longitude": longitude,
        "phone": values["phone"],
        "email": values["email"],
        "opening_hours": values["opening_hours"],
        "accessibility": values["accessibility"],
        "status": status,
        "remote_only": remote in YES,
    }
    return fields, networks, errors


def _header(cells: list[str]) -> list[str]:
    names = [ALIASES.get(_plain(cell), _plain(cell)) for cell in cells]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise SiteFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return names


def load_advisor_sites(raw: bytes, *, wet_run: bool = False, skip_invalid: bool = False) -> LoadReport:
    """Check every line, then write them all (or, with `skip_invalid`, the good ones) when `wet_run`.
    Without `skip_invalid`, one bad line means nothing is written."""
    text, encoding = decode_spreadsheet(raw)
    if not text.strip():
        raise SiteFileError(_("The file is empty."))
    delimiter = sniff_delimiter(text)
    rows = read_rows(text, delimiter)
    names = _header(rows[0])
    report = LoadReport(encoding=encoding, delimiter=delimiter)
    seen: dict[str, tuple[int, dict, list[str]]] = {}
    parsed: list[tuple[LineResult, dict, list[str]]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(names, cells, strict=False))
        fields, networks, errors = _parse(row)
        code = (row.get("code") or "").strip()
        line = LineResult(number=number, code=code, outcome="invalid" if errors else "")
        line.messages.extend(errors)
        if len(cells) > len(names):
            line.outcome = "invalid"
            line.messages.append(
                _("%(found)s values for %(columns)s columns (a separator inside a value needs quotes).")
                % {"found": len(cells), "columns": len(names)}
            )
        if code in seen and line.outcome != "invalid":
            first_number, first_fields, first_networks = seen[code]
            if (first_fields, first_networks) == (fields, networks):
                line.outcome = "duplicate"
                line.messages.append(_("Same as line %(line)s: ignored.") % {"line": first_number})
            else:
                line.outcome = "invalid"
                line.messages.append(
                    _("The code %(code)s is already on line %(line)s with other values.")
                    % {"code": code, "line": first_number}
                )
        elif code and line.outcome != "invalid":
            seen[code] = (number, fields, networks)
        report.lines.append(line)
        parsed.append((line, fields, networks))
    if report.invalid and not skip_invalid:
        for line, _fields, _networks in parsed:
            if line.outcome == "":
                line.outcome = "not_written"
        return report
    with transaction.atomic():
        for line, fields, networks in parsed:
            if line.outcome == "":
                line.outcome = _write(line.code, fields, networks)
        report.written = wet_run
        if not wet_run:
            transaction.set_rollback(True)
    return report


def _write(code: str, fields: dict, networks: list[str]) -> str:
    site = AdvisorSite.objects.select_for_update().filter(code=code).first()
    if site is None:
        site = AdvisorSite.objects.create(code=code, **fields)
        AdvisorSiteNetwork.objects.bulk_create([AdvisorSiteNetwork(site=site, network=n) for n in networks])
        return "created"
    current_networks = set(site.networks.values_list("network", flat=True))
    changed = [name for name, value in fields.items() if getattr(site, name) != value]
    if not changed and current_networks == set(networks):
        return "unchanged"
    for name in changed:
        setattr(site, name, fields[name])
    site.save()
    site.networks.exclude(network__in=networks).delete()
    AdvisorSiteNetwork.objects.bulk_create(
        [AdvisorSiteNetwork(site=site, network=n) for n in networks if n not in current_networks]
    )
    return "updated"
