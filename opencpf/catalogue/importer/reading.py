"""Reading the file: its encoding and layout, and each line's values or errors (nothing written)."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError

from opencpf.catalogue.enums import CertificationKind, Modality
from opencpf.catalogue.validators import normalise_certification_code, normalise_siret
from opencpf.utils.spreadsheets import decode_spreadsheet
from opencpf.utils.text import clean_name

REQUIRED_COLUMNS = ("nom_of", "siret", "numero_formation", "intitule_formation")
# Current layout's name → the name this importer reads (the older layout's). When a file has both, the older wins.
COLUMN_ALIASES = {"siret_of": "siret", "code_rs": "code_inventaire"}
# Offer texts of the current layout: column → Offer field.
TEXT_COLUMNS = {
    "objectif_formation": "objectives",
    "contenu_formation": "programme",
    "resultats_attendus_formation": "expected_results",
}
MAX_TEXT = 20_000
_LEVEL = re.compile(r"(\d)")
_KIND_WORDS = (
    (re.compile(r"bilan de comp[ée]tences", re.IGNORECASE), CertificationKind.SKILLS_ASSESSMENT, "BILAN-COMPETENCES"),
    (re.compile(r"\bVAE\b|validation des acquis", re.IGNORECASE), CertificationKind.VAE, "VAE"),
    (re.compile(r"\bpermis\b", re.IGNORECASE), CertificationKind.DRIVING_LICENCE, "PERMIS"),
    (
        re.compile(r"cr[ée]ation (ou reprise )?d'entreprise|reprise d'entreprise", re.IGNORECASE),
        CertificationKind.BUSINESS_CREATION,
        "CREATION-ENTREPRISE",
    ),
)
_KIND_TITLES = {
    CertificationKind.SKILLS_ASSESSMENT: "Bilan de compétences",
    CertificationKind.VAE: "Validation des acquis de l'expérience (VAE)",
    CertificationKind.DRIVING_LICENCE: "Permis de conduire",
    CertificationKind.BUSINESS_CREATION: "Création ou reprise d'entreprise",
}


class ImportFileError(Exception):
    """The file cannot be read at all (encoding, missing columns)."""


@dataclass
class _Line:
    number: int
    siret: str
    organisation_name: str
    external_number: str
    title: str
    summary: str
    certification_code: str
    certification_kind: str
    certification_title: str
    certification_level: int | None
    hours: Decimal
    price: Decimal
    modality: str
    texts: dict[str, str] = field(default_factory=dict)


def header_columns(fieldnames) -> tuple[list[str], str]:
    """The header as this importer reads it (lower case, a stray BOM removed, current names mapped to the older
    ones) and the layout found."""
    header = [(name or "").replace("\ufeff", "").strip().lower() for name in fieldnames or []]
    layout = "current" if "siret_of" in header and "siret" not in header else "older"
    mapped = []
    for name in header:
        alias = COLUMN_ALIASES.get(name)
        mapped.append(alias if alias and alias not in header else name)
    return mapped, layout


def _read_text(path: Path) -> str:
    return decode_spreadsheet(path.read_bytes())[0]


def _decimal(value: str) -> Decimal | None:
    value = (value or "").strip().replace("\u202f", "").replace(" ", "").replace(",", ".").replace("€", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(value)
    if not number.is_finite():
        raise ValueError(value)
    return number


def _first_number(row: dict, prefix: str) -> Decimal | None:
    for suffix in ("mean", "max", "min"):
        number = _decimal(row.get(f"{prefix}_{suffix}", ""))
        if number is not None:
            return number
    return None


def _int(value: str) -> int:
    try:
        return int(Decimal((value or "0").strip().replace(",", ".") or "0"))
    except InvalidOperation:
        return 0


def _code(code: str) -> str | None:
    try:
        return normalise_certification_code(code)
    except ValidationError:
        return None


def _certification(row: dict) -> tuple[str, str, str, int | None] | None:
    """(code, kind, title, level) of the line's certification, or None."""
    title = (row.get("intitule_certification") or "").strip()
    level_match = _LEVEL.search(row.get("libelle_niveau_sortie_formation") or "")
    level = int(level_match.group(1)) if level_match and 1 <= int(level_match.group(1)) <= 8 else None
    rncp = re.sub(r"\D", "", row.get("code_rncp") or "")
    if rncp:
        return _code(f"RNCP{rncp}"), CertificationKind.RNCP, title, level
    inventory = re.sub(r"\D", "", row.get("code_inventaire") or "")
    if inventory:
        return _code(f"RS{inventory}"), CertificationKind.RS, title, None
    text = f"{title} {row.get('intitule_formation') or ''}"
    for pattern, kind, code in _KIND_WORDS:
        if pattern.search(text):
            return code, kind, title or _KIND_TITLES[kind], None
    return None


def parse_line(number: int, row: dict) -> _Line:
    errors: dict[str, str] = {}
    try:
        siret = normalise_siret(row.get("siret") or "")
    except ValidationError as error:
        errors["siret"] = error.messages[0]
        siret = ""
    organisation_name = clean_name(row.get("nom_of"))
    if not organisation_name:
        errors["nom_of"] = "the organisation's name is missing"
    external_number = (row.get("numero_formation") or "").strip()
    if not external_number:
        errors["numero_formation"] = "the training number is missing"
    elif len(external_number) > 64:
        errors["numero_formation"] = "the training number is longer than 64 characters"
    title = (row.get("intitule_formation") or "").strip()
    if not title:
        errors["intitule_formation"] = "the training title is missing"
    certification = _certification(row)
    if certification is None or certification[0] is None:
        errors["code_rncp"] = "no certification: give code_rncp or code_inventaire"
    try:
        hours = _first_number(row, "nombre_heures_total")
        if hours is None or hours <= 0 or hours >= 1_000_000:
            errors["nombre_heures_total_mean"] = "the duration in hours is missing or not above 0"
    except ValueError as error:
        errors["nombre_heures_total_mean"] = f"not a number: {error}"
        hours = None
    try:
        price = _first_number(row, "frais_ttc_tot")
        if price is None or price < 0 or price >= 100_000_000:
            errors["frais_ttc_tot_mean"] = "the price is missing or negative"
    except ValueError as error:
        errors["frais_ttc_tot_mean"] = f"not a number: {error}"
        price = None
    if errors:
        raise LineError(errors)
    remote_sessions = _int(row.get("nb_session_a_distance", ""))
    active_sessions = _int(row.get("nb_session_active", ""))
    if remote_sessions <= 0:
        modality = Modality.ON_SITE
    elif active_sessions and active_sessions > remote_sessions:
        modality = Modality.MIXED
    else:
        modality = Modality.REMOTE
    code, kind, certification_title, level = certification
    return _Line(
        number=number,
        siret=siret,
        organisation_name=organisation_name[:250],
        external_number=external_number,
        title=title[:300],
        summary=(row.get("points_forts") or "").strip(),
        certification_code=code,
        certification_kind=kind,
        certification_title=(certification_title or title)[:300],
        certification_level=level,
        hours=hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        price=price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        modality=modality,
        texts={
            model_field: (row.get(column) or "").replace("\x00", "").strip()[:MAX_TEXT]
            for column, model_field in TEXT_COLUMNS.items()
            if column in row
        },
    )


class LineError(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
