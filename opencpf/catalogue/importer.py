"""Import of the open-data catalogue format (Caisse des Dépôts, "moncompteformation_catalogueformation").

Semicolon-separated CSV with a header line, UTF-8 (a BOM is allowed) or Windows-1252. Both published layouts are
read; `COLUMN_ALIASES` is the one place that maps the current layout's names to the older ones:
    older       siret, code_inventaire
    current     siret_of, code_rs, date_chargement, objectif_formation, contenu_formation,
                resultats_attendus_formation
Columns read (others are ignored):
    nom_of, siret|siret_of, numero_formation, intitule_formation            required
    points_forts, code_rncp, code_inventaire|code_rs, intitule_certification, libelle_niveau_sortie_formation,
    nombre_heures_total_min|max|mean, frais_ttc_tot_min|max|mean, nb_session_a_distance, nb_session_active,
    objectif_formation, contenu_formation, resultats_attendus_formation
Organisations are found by SIRET, certifications by code (RNCP… / RS…), offers by (SIRET, numero_formation):
existing ones are updated, the others created. Bad lines are skipped and reported with their line number.

The open data says nothing of an organisation's Qualiopi certificate nor of its approval: organisations created by
an import are pending (unless told otherwise), and their offers stay out of search until an agent approves them
(back office, Organisations, "Approve", with the Qualiopi certificate and its expiry). The report lists them.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationStatus
from opencpf.catalogue.models import Certification, Offer, Organisation
from opencpf.catalogue.selectors import organisation_is_public
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


@dataclass
class PendingOrganisation:
    """An organisation of the file whose offers stay out of search, and why."""

    id: int
    siret: str
    name: str
    status: str
    qualiopi_expires_on: datetime.date | None
    offers: int


@dataclass
class ImportReport:
    lines: int = 0
    organisations_created: int = 0
    organisations_updated: int = 0
    certifications_created: int = 0
    offers_created: int = 0
    offers_updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)
    offer_ids: list[int] = field(default_factory=list)
    layout: str = ""  # "current" (siret_of) or "older" (siret)
    # Organisations of the file not in search (not approved, or no valid Qualiopi certificate), and their offers.
    pending: list[PendingOrganisation] = field(default_factory=list)


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


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_catalogue(
    path: Path,
    *,
    status: OrganisationStatus = OrganisationStatus.PENDING,
    qualiopi_expires_on: datetime.date | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read the file and create or update organisations, certifications and offers in one transaction. A dry run
    does the same work and rolls it back, so its report counts exactly what a wet run would write."""
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header, layout = header_columns(reader.fieldnames)
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        current_names = {older: current for current, older in COLUMN_ALIASES.items()}
        shown = [f"{c} (or {current_names[c]})" if c in current_names else c for c in missing]
        raise ImportFileError(f"missing columns: {', '.join(shown)} (is it a semicolon-separated CSV?)")
    reader.fieldnames = header

    report = ImportReport(layout=layout)
    lines: dict[tuple[str, str], _Line] = {}
    for row in reader:
        report.lines += 1
        number = reader.line_num
        if None in row:  # more cells than columns
            report.errors.append((number, "", "more cells than columns in the header"))
            continue
        try:
            line = parse_line(number, row)
        except LineError as error:
            report.errors.extend((number, column, message) for column, message in error.errors.items())
            continue
        lines[(line.siret, line.external_number)] = line  # a later line for the same offer wins

    now = timezone.now()
    with transaction.atomic():
        organisations = _upsert_organisations(list(lines.values()), report, status, qualiopi_expires_on, now)
        certifications = _upsert_certifications(list(lines.values()), report)
        _upsert_offers(list(lines.values()), organisations, certifications, report, now)
        report.pending = _pending(organisations, lines.values())
        if dry_run:
            transaction.set_rollback(True)
            report.offer_ids = []
    return report


def _pending(organisations: dict[str, int], lines) -> list[PendingOrganisation]:
    """The file's organisations whose offers search will not show, with how many offers of the file each has."""
    offers: dict[str, int] = {}
    for line in lines:
        offers[line.siret] = offers.get(line.siret, 0) + 1
    today = timezone.localdate()
    pending = []
    for chunk in _chunks(sorted(organisations.values())):
        for organisation in Organisation.objects.filter(id__in=chunk).order_by("siret"):
            if not organisation_is_public(organisation, today):
                pending.append(
                    PendingOrganisation(
                        id=organisation.pk,
                        siret=organisation.siret,
                        name=organisation.name,
                        status=organisation.status,
                        qualiopi_expires_on=organisation.qualiopi_expires_on,
                        offers=offers.get(organisation.siret, 0),
                    )
                )
    return sorted(pending, key=lambda p: p.siret)


def _upsert_organisations(lines, report, status, qualiopi_expires_on, now) -> dict[str, int]:
    names: dict[str, str] = {}
    for line in lines:
        names[line.siret] = line.organisation_name
    existing: dict[str, Organisation] = {}
    for chunk in _chunks(list(names)):
        existing.update({o.siret: o for o in Organisation.objects.filter(siret__in=chunk)})
    changed = []
    for siret, organisation in existing.items():
        if organisation.name != names[siret]:
            organisation.name = names[siret]
            organisation.updated_at = now
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["name", "updated_at"], batch_size=500)
    report.organisations_updated = len(changed)
    created = Organisation.objects.bulk_create(
        [
            Organisation(siret=siret, name=name, status=status, qualiopi_expires_on=qualiopi_expires_on)
            for siret, name in names.items()
            if siret not in existing
        ],
        batch_size=500,
    )
    report.organisations_created = len(created)
    ids = {siret: organisation.pk for siret, organisation in existing.items()}
    if created and created[0].pk is None:  # databases that do not return ids
        for chunk in _chunks([o.siret for o in created]):
            ids.update(dict(Organisation.objects.filter(siret__in=chunk).values_list("siret", "id")))
    else:
        ids.update({organisation.siret: organisation.pk for organisation in created})
    return ids


def _upsert_certifications(lines, report) -> dict[str, int]:
    wanted: dict[str, _Line] = {}
    for line in lines:
        wanted.setdefault(line.certification_code, line)
    ids: dict[str, int] = {}
    for chunk in _chunks(list(wanted)):
        ids.update(dict(Certification.objects.filter(code__in=chunk).values_list("code", "id")))
    created = Certification.objects.bulk_create(
        [
            Certification(
                code=code, kind=line.certification_kind, title=line.certification_title, level=line.certification_level
            )
            for code, line in wanted.items()
            if code not in ids
        ],
        batch_size=500,
    )
    report.certifications_created = len(created)
    for chunk in _chunks([c.code for c in created]):
        ids.update(dict(Certification.objects.filter(code__in=chunk).values_list("code", "id")))
    return ids


_OFFER_UPDATE_FIELDS = [
    "title",
    "summary",
    *TEXT_COLUMNS.values(),
    "certification_id",
    "price",
    "hours",
    "modality",
    "updated_at",
    "search_changed_at",
]


def _upsert_offers(lines, organisations, certifications, report, now) -> None:
    by_key = {(organisations[line.siret], line.external_number): line for line in lines}
    existing: dict[tuple[int, str], Offer] = {}
    organisation_ids = sorted({key[0] for key in by_key})
    for chunk in _chunks(organisation_ids):
        for offer in (
            Offer.objects.filter(organisation_id__in=chunk)
            .exclude(external_number="")
            .only(
                "id",
                "organisation_id",
                "external_number",
                *[f for f in _OFFER_UPDATE_FIELDS if f != "certification_id"],
            )
        ):
            key = (offer.organisation_id, offer.external_number)
            if key in by_key:
                existing[key] = offer
    to_update = []
    to_create = []
    for key, line in by_key.items():
        values = {
            "title": line.title,
            "summary": line.summary,
            **{name: line.texts.get(name, getattr(existing.get(key), name, "")) for name in TEXT_COLUMNS.values()},
            "certification_id": certifications[line.certification_code],
            "price": line.price,
            "hours": line.hours,
            "modality": line.modality,
            "updated_at": now,
            "search_changed_at": now,
        }
        if key in existing:
            offer = existing[key]
            for name, value in values.items():
                setattr(offer, name, value)
            to_update.append(offer)
        else:
            to_create.append(Offer(organisation_id=key[0], external_number=key[1], created_at=now, **values))
    Offer.objects.bulk_update(to_update, _OFFER_UPDATE_FIELDS, batch_size=500)
    Offer.objects.bulk_create(to_create, batch_size=500)
    report.offers_updated = len(to_update)
    report.offers_created = len(to_create)
    report.offer_ids = [offer.pk for offer in to_update]
    for chunk in _chunks(organisation_ids):
        report.offer_ids.extend(
            Offer.objects.filter(organisation_id__in=chunk, search_changed_at=now)
            .exclude(id__in=report.offer_ids)
            .values_list("id", flat=True)
        )
