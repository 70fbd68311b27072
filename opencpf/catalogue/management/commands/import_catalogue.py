import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opencpf.catalogue import search_index
from opencpf.catalogue.enums import SEARCHABLE_STATUSES, OrganisationStatus
from opencpf.catalogue.importer import ImportFileError, import_catalogue

# Above this many offers, rebuilding the whole index is faster than updating it offer by offer.
_REBUILD_ABOVE = 5_000
_PENDING_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import the open-data catalogue (semicolon CSV, older or current layout: nom_of, siret or siret_of, "
        "numero_formation, intitule_formation, points_forts, code_rncp, code_inventaire or code_rs, "
        "nombre_heures_total_*, frais_ttc_tot_*, nb_session_a_distance, objectif_formation…): "
        "creates or updates organisations, certifications and offers, and reports bad lines. Dry by default: "
        "reports what would change and writes nothing; --wet-run writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--status",
            choices=OrganisationStatus.values,
            default=OrganisationStatus.PENDING,
            help="status of the organisations created (default: pending; existing ones keep theirs)",
        )
        parser.add_argument(
            "--qualiopi-expires",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Qualiopi expiry given to the organisations created (the open data does not carry it)",
        )
        parser.add_argument("--no-index", action="store_true", help="do not update the search index")
        parser.add_argument("--wet-run", action="store_true", help="actually write (dry by default)")

    def handle(self, *args, file: Path, status, qualiopi_expires, no_index, wet_run, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            report = import_catalogue(file, status=status, qualiopi_expires_on=qualiopi_expires, dry_run=not wet_run)
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}")
        for line, column, message in report.errors:
            self.stderr.write(f"{file}:{line}: {column + ': ' if column else ''}{message}")
        bad_lines = len({line for line, _column, _message in report.errors})
        self.stdout.write(
            f"Layout: {report.layout} ({'siret_of, code_rs' if report.layout == 'current' else 'siret'}). "
            f"{report.lines} lines read, {bad_lines} bad lines skipped. "
            f"Organisations: {report.organisations_created} created, {report.organisations_updated} updated. "
            f"Certifications: {report.certifications_created} created. "
            f"Offers: {report.offers_created} created, {report.offers_updated} updated."
            + ("" if wet_run else " Dry run: nothing written; add --wet-run to write.")
        )
        self._pending(report, wet_run)
        if no_index or not report.offer_ids:
            return
        if len(report.offer_ids) > _REBUILD_ABOVE:
            rebuilt = search_index.rebuild()
            self.stdout.write(f"Search index rebuilt: {rebuilt.documents} offers in {rebuilt.seconds:.1f} s.")
        else:
            count = search_index.update(offer_ids=report.offer_ids)
            self.stdout.write(f"Search index updated: {count} searchable offers.")

    def _pending(self, report, wet_run: bool) -> None:
        """Say which organisations keep their offers out of search, why, and what an agent does about it."""
        if not report.pending:
            return
        offers = sum(p.offers for p in report.pending)
        self.stdout.write(
            f"Pending: {offers} offers of {len(report.pending)} organisations stay out of search until an agent "
            "approves each organisation with its Qualiopi certificate and expiry (back office /gestion/organismes/"
            '<number>/, "Approve"; or import again with --status=approved --qualiopi-expires=YYYY-MM-DD):'
        )
        for pending in report.pending[:_PENDING_SHOWN]:
            if pending.status not in SEARCHABLE_STATUSES:
                why = f"status {pending.status}"
            elif pending.qualiopi_expires_on is None:
                why = "no Qualiopi certificate"
            else:
                why = f"Qualiopi certificate expired on {pending.qualiopi_expires_on.isoformat()}"
            where = f"/gestion/organismes/{pending.id}/" if wet_run else "(number given by the wet run)"
            self.stdout.write(f"  {pending.siret} {pending.name}: {pending.offers} offers, {why} — {where}")
        if len(report.pending) > _PENDING_SHOWN:
            self.stdout.write(f"  … and {len(report.pending) - _PENDING_SHOWN} more (back office, Organisations).")
