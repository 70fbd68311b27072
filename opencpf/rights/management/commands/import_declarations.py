"""manage.py import_declarations FILE [--kind employment|self_employed] [--skip-invalid] [--wet-run]

Dry by default: checks the file and says what would be written; --wet-run writes.

Checks every line first and reports every bad one (line number and reason). Without --skip-invalid nothing
is written unless the whole file is valid; with it, the good lines are written and the bad ones listed.
The CSV columns are documented in opencpf/rights/declarations.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from opencpf.rights import declarations


class Command(BaseCommand):
    help = "Import yearly employment or self-employed declarations from a CSV file (all lines checked first)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (header: see opencpf/rights/declarations.py)")
        parser.add_argument("--kind", choices=declarations.KINDS, help="Format, when the header does not tell.")
        parser.add_argument("--skip-invalid", action="store_true", help="Write the valid lines and list the others.")
        parser.add_argument("--wet-run", action="store_true", help="Actually write (dry by default: check only).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.")
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error}).")
        report = declarations.read(text, kind=options["kind"], source=path.name)
        for line, message in report.errors:
            self.stderr.write(f"{path.name}:{line}: {message}")
        if report.errors and not options["skip_invalid"]:
            raise CommandError(
                f"{len(report.errors)} invalid line(s) out of {report.lines}: nothing written. "
                "Fix them, or use --skip-invalid to write only the valid lines."
            )
        skipped = f", {len(report.errors)} invalid line(s) skipped" if report.errors else ""
        if not options["wet_run"]:
            self.stdout.write(
                f"{len(report.rows)} {report.kind} declaration(s) would be written from {path.name}{skipped} "
                "(dry run; add --wet-run to write)."
            )
            return
        try:
            written = declarations.write(report)
        except IntegrityError as error:
            raise CommandError(f"The database refused the import, nothing written: {error}")
        self.stdout.write(
            self.style.SUCCESS(f"{written} {report.kind} declaration(s) written from {path.name}{skipped}.")
        )
