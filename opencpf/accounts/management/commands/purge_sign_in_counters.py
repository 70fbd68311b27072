"""Daily housekeeping: forget sign-in failure counters that no longer lock anything."""

from django.core.management.base import BaseCommand

from opencpf.accounts.signin import failure_counters_purge


class Command(BaseCommand):
    help = "Delete sign-in failure counters with no lock in force and no failure for a day."

    def handle(self, *args, **options):
        self.stdout.write(f"{failure_counters_purge()} counters deleted.")
