"""manage.py expire_topups [--date YYYY-MM-DD] [--wet-run]: move expired top-ups out of the balances."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencpf.rights.services.top_ups import topups_expire


class Command(BaseCommand):
    help = "Expire top-ups past their last usable day. Dry by default: lists them; --wet-run writes."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Expire what is no longer usable on this day (default: today).")
        parser.add_argument("--wet-run", action="store_true", help="Actually write the expiry movements.")

    def handle(self, *args, **options):
        try:
            on_date = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD.")
        expired = topups_expire(on_date=on_date, dry_run=not options["wet_run"])
        for item in expired:
            self.stdout.write(
                f"top-up {item.top_up_id} of holder {item.holder_id}: {item.amount} € "
                f"(usable until {item.expires_on.isoformat()})"
            )
        total = sum(item.amount for item in expired)
        verb = "expired" if options["wet_run"] else "would expire (dry run; add --wet-run to write)"
        self.stdout.write(self.style.SUCCESS(f"{len(expired)} top-up(s), {total} €, {verb}."))
