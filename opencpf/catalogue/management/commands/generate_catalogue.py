import time

from django.core.management.base import BaseCommand

from opencpf.accounts.generated import refuse_real_holders
from opencpf.catalogue import generator, search_index


class Command(BaseCommand):
    help = (
        "Add a synthetic French training catalogue (approved organisations, offers, sessions) and rebuild search. "
        "Dry by default: says what it would add; --wet-run writes. Refuses a database with real holders."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, default=3_000)
        parser.add_argument("--sessions", type=int, default=None, help="default: 5 per offer")
        parser.add_argument("--organisations", type=int, default=None, help="default: one per 13 offers")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-index", action="store_true", help="do not rebuild the search index afterwards")
        parser.add_argument("--wet-run", action="store_true", help="actually write (dry by default)")

    def handle(self, *args, offers, sessions, organisations, seed, no_index, wet_run, **options):
        sessions = offers * 5 if sessions is None else sessions
        refuse_real_holders("generate_catalogue")
        if not wet_run:
            self.stdout.write(
                f"Would generate {offers} offers and {sessions} sessions"
                f"{'' if no_index else ', then rebuild the search index'} (dry run; add --wet-run to write)."
            )
            return
        started = time.monotonic()

        def progress(done_offers, done_sessions):
            if options["verbosity"] > 1:
                self.stdout.write(
                    f"  {done_offers} offers, {done_sessions} sessions ({time.monotonic() - started:.1f} s)"
                )

        report = generator.generate(
            offers=offers, sessions=sessions, organisations=organisations, seed=seed, progress=progress
        )
        self.stdout.write(
            f"Generated {report.organisations} organisations, {report.certifications} new certifications, "
            f"{report.offers} offers and {report.sessions} sessions in {time.monotonic() - started:.1f} s."
        )
        if not no_index:
            rebuilt = search_index.rebuild()
            self.stdout.write(f"Search index rebuilt: {rebuilt.documents} offers in {rebuilt.seconds:.1f} s.")
