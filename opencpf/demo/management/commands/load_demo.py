import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from opencpf.accounts.generated import refuse_real_holders

# Each business area may ship a `demo` module with `load(stdout) -> list[str]` (lines to print); run in this order.
DEMO_MODULES = [
    "opencpf.accounts.demo",
    "opencpf.catalogue.demo",
    "opencpf.rights.demo",
    "opencpf.dossiers.demo",
    "opencpf.advisors.demo",
    "opencpf.funders.demo",
    "opencpf.support.demo",
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo sign-ins. Refuses a database with real holders."

    def handle(self, *args, **options):
        refuse_real_holders("load_demo")
        lines: list[str] = []
        for module_name in DEMO_MODULES:
            module = importlib.import_module(module_name)
            with transaction.atomic():
                lines.extend(module.load(self.stdout) or [])
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000/compte/connexion/ with:")
        )
        for line in lines:
            self.stdout.write(f"  {line}")
