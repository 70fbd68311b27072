"""Writing the lines read: organisations, certifications and offers in one transaction, and the report."""

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.importer.reading import (
    COLUMN_ALIASES,
    REQUIRED_COLUMNS,
    TEXT_COLUMNS,
    ImportFileError,
    LineError,
    _Line,
    _read_text,
    header_columns,
    parse_line,
)
from opencpf.catalogue.models import Certification, Offer, Organisation
from opencpf.catalogue.selectors import organisation_is_public


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
