"""manage.py lapse_dossiers [--at ISO-DATETIME] [--wet-run]: lapse overdue training files, pay what is due."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencpf.dossiers.deadlines import dossiers_lapse


class Command(BaseCommand):
    help = (
        "Lapse overdue training files (no answer → expired, proposal not accepted → proposal_expired, entry never "
        "declared → cancelled, rights restored) and pay organisations what is due. Dry by default: counts only; "
        "--wet-run writes. Safe to run twice or concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="Act as if it were this moment (ISO 8601, default: now).")
        parser.add_argument("--wet-run", action="store_true", help="Actually move the files.")
        parser.add_argument("--chunk-size", type=int, default=50_000)
        parser.add_argument("--workers", type=int, default=1, help="Parallel database connections (PostgreSQL).")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["at"]:
            try:
                now = datetime.datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError("--at must be an ISO 8601 date or datetime.")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        started = time.perf_counter()
        report = dossiers_lapse(
            now=now, dry_run=not options["wet_run"], chunk=options["chunk_size"], workers=options["workers"]
        )
        elapsed = time.perf_counter() - started
        verb = "lapsed" if options["wet_run"] else "would lapse (dry run; add --wet-run to write)"
        for state, count in report.lapsed.items():
            self.stdout.write(f"{state}: {count} file(s) {verb}")
        paid = "paid" if options["wet_run"] else "due by today (dry run)"
        self.stdout.write(f"payments to organisations {paid}: {report.paid}")
        self.stdout.write(
            self.style.SUCCESS(f"{report.total} file(s) overdue on {report.today.isoformat()}, {elapsed:.2f} s.")
        )
