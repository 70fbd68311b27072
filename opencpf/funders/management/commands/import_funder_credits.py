"""manage.py import_funder_credits FILE --funder ID [--skip-invalid] [--wet-run]: supplementary credits from a CSV
file (columns in `opencpf.funders.csv_format`), with a report line by line. Dry by default; all or nothing unless
`--skip-invalid`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opencpf.funders import csv_format, services
from opencpf.funders.models import FunderOrganisation


class Command(BaseCommand):
    help = "Credit holders from a funder's CSV file (dry unless --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--funder", type=int, required=True, help="The funder organisation's id.")
        parser.add_argument("--skip-invalid", action="store_true", help="Write the valid lines, report the others.")
        parser.add_argument("--wet-run", action="store_true", help="Write (without it: check and report only).")

    def handle(self, *args, **options):
        organisation = FunderOrganisation.objects.filter(pk=options["funder"]).first()
        if organisation is None:
            raise CommandError(f"No funder with id {options['funder']}.")
        path = Path(options["file"])
        try:
            with path.open("rb") as handle:
                raw = handle.read(csv_format.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.")
        report = services.credits_import(
            organisation=organisation,
            user=None,
            raw=raw,
            filename=path.name,
            skip_invalid=options["skip_invalid"],
            wet_run=options["wet_run"],
        )
        for message in report.file_errors:
            self.stderr.write(message)
        if report.file_errors:
            raise CommandError("The file was not read: nothing credited.")
        for line in report.lines:
            if line.ok:
                self.stdout.write(f"line {line.line}: {line.nir} {line.amount} ok")
            else:
                self.stdout.write(f"line {line.line}: {line.nir} refused: {' '.join(line.errors)}")
        summary = f"{len(report.valid)} valid line(s), {len(report.invalid)} refused, {report.total:.2f} €."
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"Written: {summary}"))
        elif report.invalid and not options["skip_invalid"]:
            raise CommandError(f"Nothing written (all or nothing; --skip-invalid writes the valid lines): {summary}")
        else:
            self.stdout.write(f"Dry run, nothing written (--wet-run writes): {summary}")
