import time

from django.core.management.base import BaseCommand

from opencpf.catalogue import search_index


class Command(BaseCommand):
    help = (
        "Bring this server's copy of the search index up to date with the database: changed offers, sessions that "
        "started, expired Qualiopi certificates. Run it daily, or with --follow on each app server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--follow", type=float, default=0, metavar="SECONDS", help="repeat every SECONDS")

    def handle(self, *args, follow, **options):
        while True:
            count = search_index.sync()
            if options["verbosity"] > 1 or not follow:
                self.stdout.write(f"Search index synchronised: {count} offers indexed again.")
            if not follow:
                return
            time.sleep(follow)
