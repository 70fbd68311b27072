from django.core.management.base import BaseCommand

from opencpf.catalogue import search_index


class Command(BaseCommand):
    help = "Rebuild the catalogue's search index from the database (a new generation, switched atomically)."

    def handle(self, *args, **options):
        report = search_index.rebuild()
        self.stdout.write(
            f"Search index rebuilt: {report.documents} offers in {report.seconds:.1f} s ({report.generation})."
        )
