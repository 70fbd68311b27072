"""manage.py reconcile_ledger --from YYYY-MM-DD --to YYYY-MM-DD [--holder ID]: read only.

Prints, per bucket, opening + acquired + credited = balance + engaged + paid + forfeited + expired + returned
over the period (each term is defined in `opencpf.rights.reconciliation`), and the differences with the records kept
beside the ledger. Exits with an error when the ledger does not reconcile.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from opencpf.rights.reconciliation import ledger_reconciliation

TERMS = (
    "opening",
    "acquired",
    "credited",
    "balance",
    "engaged",
    "paid",
    "forfeited",
    "expired",
    "returned",
    "restored",
)


def _date(text: str, name: str) -> datetime.date:
    try:
        value = datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandError(f"--{name} must be a date YYYY-MM-DD.")
    if not 2000 <= value.year <= 2100:
        raise CommandError(f"--{name} must be between 2000 and 2100.")
    return value


class Command(BaseCommand):
    help = "Reconcile the rights ledger over a period (read only)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First effective date (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", required=True, help="Last effective date (YYYY-MM-DD).")
        parser.add_argument("--holder", type=int, help="Only this holder's account.")

    def handle(self, *args, **options):
        start, end = _date(options["start"], "from"), _date(options["end"], "to")
        if end < start:
            raise CommandError("--to must not be before --from.")
        result = ledger_reconciliation(start=start, end=end, holder_id=options["holder"])
        self.stdout.write(f"Rights ledger from {start.isoformat()} to {end.isoformat()}")
        self.stdout.write("bucket     " + "".join(f"{term:>14}" for term in TERMS) + f"{'difference':>14}")
        for bucket in result.buckets:
            values = "".join(f"{getattr(bucket, term):>14}" for term in TERMS)
            self.stdout.write(f"{bucket.bucket:<11}{values}{bucket.difference:>14}")
        for mismatch in result.mismatches:
            self.stdout.write(self.style.ERROR(mismatch))
        if not result.balanced:
            raise CommandError("The ledger does not reconcile.")
        self.stdout.write(
            self.style.SUCCESS(
                "opening + acquired + credited = balance + engaged + paid + forfeited + expired + returned"
            )
        )
