from django.core.management.base import BaseCommand

from opencpf.identity.retention import identity_documents_purge


class Command(BaseCommand):
    help = (
        "Delete identity documents and status proofs decided more than identity/document_retention_days ago "
        "(dry unless --wet-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Really delete (default: only count).")

    def handle(self, *args, wet_run=False, **options):
        count = identity_documents_purge(dry_run=not wet_run)
        verb = "deleted" if wet_run else "would be deleted"
        self.stdout.write(f"{count} identity documents {verb}")
