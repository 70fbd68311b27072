"""manage.py credit_rights --year N [--wet-run]: post every holder's credit for year N (re-runnable, stoppable).
Dry by default: computes and counts the credits, writes nothing."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from opencpf.parameters import ParameterNotInForce
from opencpf.rights import crediting


class Command(BaseCommand):
    help = (
        "Credit every holder's rights for a year from that year's declarations. Works in chunks of holders; "
        "can be stopped (Ctrl-C) and re-run: holders already credited for the year are skipped. "
        "Dry by default: counts the credits; --wet-run writes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The year worked (credited the year after).")
        parser.add_argument("--chunk-size", type=int, default=50_000, help="Holder ids per transaction.")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Parallel worker processes (PostgreSQL only; e.g. 2 on two cores).",
        )
        parser.add_argument("--wet-run", action="store_true", help="Actually write the credits.")

    def handle(self, *args, **options):
        year = options["year"]
        today = timezone.localdate()
        if year > today.year:
            raise CommandError(f"Year {year} is in the future.")
        if options["chunk_size"] < 1 or options["workers"] < 1:
            raise CommandError("--chunk-size and --workers must be at least 1.")
        workers = options["workers"] if connection.vendor == "postgresql" else 1
        started = time.perf_counter()
        totals = {"holders": 0, "cents": 0}
        phases: dict[str, float] = {}
        verbosity = options["verbosity"]
        dry_run = not options["wet_run"]
        verb = "would be credited (dry run; add --wet-run to write)" if dry_run else "credited"

        def progress(result, done, total):
            totals["holders"] += result.holders
            totals["cents"] += result.amount_cents
            for phase, seconds in result.seconds.items():
                phases[phase] = phases.get(phase, 0.0) + seconds
            if verbosity >= 1:
                elapsed = time.perf_counter() - started
                self.stdout.write(
                    f"chunk {done}/{total} (ids {result.first_id}-{result.last_id}): "
                    f"{result.holders} {verb}; total {totals['holders']} in {elapsed:.1f} s",
                    ending="\n",
                )
                self.stdout.flush()

        try:
            crediting.credit_year(
                year,
                chunk_size=options["chunk_size"],
                workers=workers,
                on_date=today,
                progress=progress,
                dry_run=dry_run,
            )
        except ParameterNotInForce as error:
            raise CommandError(f"No legal values for {year}: {error}")
        except KeyboardInterrupt:
            raise CommandError(
                f"Stopped after {totals['holders']} holders. Completed chunks are kept: re-run to finish."
            )
        elapsed = time.perf_counter() - started
        rate = totals["holders"] / elapsed if elapsed else 0
        euros = totals["cents"] / 100
        if verbosity >= 2:
            self.stdout.write(
                "Time per phase, summed over chunks (and workers): "
                + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in phases.items())
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Year {year}: {totals['holders']} holders {verb}, {euros:,.2f} € in {elapsed:.1f} s "
                f"({rate:,.0f} holders/s)."
            )
        )
