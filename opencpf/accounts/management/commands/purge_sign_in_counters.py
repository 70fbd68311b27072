"""Daily housekeeping: forget sign-in failure counters that no longer lock anything."""

from django.core.management.base import BaseCommand

from opencpf.accounts.lockouts import failure_counters_purge


class Command(BaseCommand):
    help = (
        "Delete sign-in failure counters with no lock in force and no failure for a day. "
        "Dry by default: counts them; --wet-run deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="actually delete (dry by default)")

    def handle(self, *args, wet_run, **options):
        count = failure_counters_purge(dry_run=not wet_run)
        if wet_run:
            self.stdout.write(f"{count} counters deleted.")
        else:
            self.stdout.write(f"{count} counters would be deleted (dry run; add --wet-run to delete).")
