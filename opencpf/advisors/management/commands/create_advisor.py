from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opencpf.advisors import services


class Command(BaseCommand):
    help = (
        "Create a career advisor account attached to one or more sites (by their code in the sites CSV), or add "
        "sites to an existing advisor. Dry by default: pass --wet-run to write. The advisor sets a password "
        "through “Forgot my password” and signs in like everyone (emailed code on a new device)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="name shown to holders and in the advisor space")
        parser.add_argument("--site", action="append", dest="sites", required=True, metavar="CODE")
        parser.add_argument("--wet-run", action="store_true", help="write (dry run otherwise)")

    def handle(self, *args, email: str, name: str, sites: list[str], wet_run: bool, **options):
        try:
            with transaction.atomic():
                user = services.advisor_create(email=email, display_name=name, site_codes=sites)
                if not wet_run:
                    transaction.set_rollback(True)
        except services.AppointmentError as error:
            raise CommandError(str(error))
        verb = "Created or updated" if wet_run else "Would create or update"
        self.stdout.write(f"{verb} advisor {user.email} for sites {', '.join(sites)}.")
        if not wet_run:
            self.stdout.write("Dry run: nothing written. Pass --wet-run to write.")
