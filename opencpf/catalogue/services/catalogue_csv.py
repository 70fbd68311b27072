"""An organisation's catalogue as a CSV file in the open-data columns (DESIGN §2.4, current layout): exported, and
imported back line by line through the same services as the web and the API (role, rules, audit, search).
Lines are read by the open-data importer (one column mapping: `importer.COLUMN_ALIASES`)."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from opencpf.accounts.models import User
from opencpf.catalogue import importer
from opencpf.catalogue.enums import CertificationKind, Modality, OrganisationRole
from opencpf.catalogue.models import Offer, Organisation
from opencpf.catalogue.selectors import organisation_role_required
from opencpf.catalogue.services import offers as offer_services
from opencpf.utils.spreadsheets import decode_spreadsheet

EXPORT_COLUMNS = [
    "date_chargement",
    "nom_of",
    "siret_of",
    "numero_formation",
    "intitule_formation",
    "points_forts",
    "objectif_formation",
    "resultats_attendus_formation",
    "contenu_formation",
    "code_rncp",
    "code_rs",
    "intitule_certification",
    "nombre_heures_total_mean",
    "frais_ttc_tot_mean",
    "nb_session_active",
    "nb_session_a_distance",
]
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_LINES = 5_000


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # never a spreadsheet formula


def catalogue_export_csv(*, actor: User, organisation: Organisation) -> str:
    """Every offer of the organisation (published or not), one line each, UTF-8 with a BOM for spreadsheets."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.READER)
    today = timezone.localdate()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    offers = (
        Offer.objects.filter(organisation=organisation)
        .select_related("certification")
        .annotate(
            active_sessions=Count("sessions", filter=Q(sessions__is_active=True, sessions__end_date__gte=today)),
            remote_sessions=Count(
                "sessions",
                filter=Q(sessions__is_active=True, sessions__end_date__gte=today, sessions__is_remote=True),
            ),
        )
        .order_by("external_number", "id")
    )
    for offer in offers:
        code = offer.certification.code
        writer.writerow(
            [
                today.isoformat(),
                _safe(organisation.name),
                organisation.siret,
                offer.external_number or f"OPENCPF-{offer.pk}",
                _safe(offer.title),
                _safe(offer.summary),
                _safe(offer.objectives),
                _safe(offer.expected_results),
                _safe(offer.programme),
                code[4:] if offer.certification.kind == CertificationKind.RNCP else "",
                code[2:] if offer.certification.kind == CertificationKind.RS else "",
                _safe(offer.certification.title),
                f"{offer.hours}",
                f"{offer.price:.2f}",
                offer.active_sessions,
                offer.remote_sessions,
            ]
        )
    return out.getvalue()


@dataclass
class CsvImportReport:
    lines: int = 0
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)


def catalogue_import_csv(
    *, actor: User, organisation: Organisation, raw: bytes, ip: str | None = None
) -> CsvImportReport:
    """Create or update the organisation's offers from the file (matched by `numero_formation`, or by
    `OPENCPF-<id>` as exported): each good line goes through the offer services, each bad line is reported with its
    number and column and changes nothing. New offers stay unpublished until published."""
    organisation_role_required(actor, organisation.pk, OrganisationRole.CATALOGUE_MANAGER)
    report = CsvImportReport()
    if len(raw) > MAX_IMPORT_BYTES:
        report.errors.append((0, "", "the file is larger than 5 MB"))
        return report
    text = decode_spreadsheet(raw)[0].replace("\x00", "")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header, _layout = importer.header_columns(reader.fieldnames)
    missing = [column for column in importer.REQUIRED_COLUMNS if column not in header]
    if missing:
        report.errors.append((1, "", f"missing columns: {', '.join(missing)}"))
        return report
    reader.fieldnames = header
    for row in reader:
        report.lines += 1
        number = reader.line_num
        if report.lines > MAX_IMPORT_LINES:
            report.errors.append((number, "", f"more than {MAX_IMPORT_LINES} lines: the rest is not read"))
            break
        if None in row:
            report.errors.append((number, "", "more cells than columns in the header"))
            continue
        try:
            line = importer.parse_line(number, row)
        except importer.LineError as error:
            report.errors.extend((number, column, message) for column, message in error.errors.items())
            continue
        if line.siret != organisation.siret:
            report.errors.append((number, "siret", "another organisation's SIRET"))
            continue
        try:
            with transaction.atomic():
                _import_line(actor, organisation, line, report, ip)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                report.errors.extend((number, column, str(message)) for message in messages)
        except PermissionDenied as error:
            report.errors.append((number, "", str(error)))
    return report


def _import_line(actor, organisation, line, report, ip) -> None:
    values = {
        "title": line.title,
        "price": line.price,
        "hours": line.hours,
        "modality": line.modality if line.modality in Modality.values else Modality.ON_SITE,
        "summary": line.summary,
        **line.texts,
    }
    external = line.external_number
    offers = Offer.objects.filter(organisation=organisation)
    existing = offers.filter(external_number=external).first()
    if existing is None and external.startswith("OPENCPF-") and external[8:].isdigit():
        existing = offers.filter(pk=int(external[8:]), external_number="").first()
    if existing is not None:
        if existing.modality == values["modality"]:
            values.pop("modality")
        offer = offer_services.offer_update(
            actor=actor, offer_id=existing.pk, certification_code=line.certification_code, ip=ip, **values
        )
        report.updated.append(offer.pk)
    else:
        offer = offer_services.offer_create(
            actor=actor,
            organisation=organisation,
            certification_code=line.certification_code,
            external_number=external,
            ip=ip,
            **values,
        )
        report.created.append(offer.pk)
