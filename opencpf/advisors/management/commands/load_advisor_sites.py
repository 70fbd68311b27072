from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opencpf.advisors import importer

OUTCOME_LABELS = {
    "created": "created",
    "updated": "updated",
    "unchanged": "unchanged",
    "duplicate": "duplicate",
    "invalid": "INVALID",
    "not_written": "valid, not written",
}


class Command(BaseCommand):
    help = (
        "Load the directory of career advisor sites from a CSV file (UTF-8 or Latin-1, `;` or `,`). Dry by default: "
        "pass --wet-run to write. All or nothing: one bad line and nothing is written, unless --skip-invalid. "
        "Columns: code, name, networks (france_travail|apec|cap_emploi|mission_locale|regional_operator|abroad), "
        "address, postal_code, city, phone, opening_hours; optional accessibility, status (open/closed), "
        "remote_only (yes/no), email, latitude, longitude. See opencpf/advisors/importer.py and the README."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--wet-run", action="store_true", help="write the sites (dry run otherwise)")
        parser.add_argument("--skip-invalid", action="store_true", help="write the good lines even if some are bad")

    def handle(self, *args, file: Path, wet_run: bool, skip_invalid: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            report = importer.load_advisor_sites(file.read_bytes(), wet_run=wet_run, skip_invalid=skip_invalid)
        except importer.SiteFileError as error:
            raise CommandError(f"{file}: {error}")
        self.stdout.write(f"{file}: encoding {report.encoding}, separator {report.delimiter!r}")
        for line in report.lines:
            detail = f" — {' '.join(line.messages)}" if line.messages else ""
            self.stdout.write(f"line {line.number}: {line.code or '?'}: {OUTCOME_LABELS[line.outcome]}{detail}")
        counts = ", ".join(f"{report.count(o)} {label}" for o, label in OUTCOME_LABELS.items() if report.count(o))
        self.stdout.write(counts or "no line")
        if report.invalid and not skip_invalid:
            raise CommandError(
                f"{len(report.invalid)} invalid line(s): nothing written. Fix them, or pass --skip-invalid."
            )
        if report.written:
            self.stdout.write(self.style.SUCCESS("Written."))
        else:
            self.stdout.write("Dry run: nothing written. Pass --wet-run to write.")
