from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from opencpf.accounts.agents import agent_create


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Create an agent of the Caisse des Dépôts (never a superuser). Dry by default: --wet-run writes. Prints the "
        "authenticator (TOTP) secret once; the agent chooses a password through an emailed link."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="Name shown in the back office")
        parser.add_argument("--manage-agents", action="store_true", help="May create other agents")
        parser.add_argument("--wet-run", action="store_true", help="Really create the agent")

    def handle(self, *args, email, name, manage_agents, wet_run, **options):
        def url_for(uidb64, token):
            return settings.OPENCPF_SITE_URL + reverse("accounts:password_reset_confirm", args=[uidb64, token])

        try:
            with transaction.atomic():
                agent = agent_create(
                    email=email, display_name=name, created_by=None, manage_agents=manage_agents, url_for=url_for
                )
                if not wet_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(f"Dry run: agent {email} would be created. Add --wet-run to create it.")
            return
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()))
        self.stdout.write(self.style.SUCCESS(f"Agent {agent.user.email} created (id {agent.user.pk})."))
        self.stdout.write(f"Authenticator secret (shown once, hand it over in person): {agent.totp_secret}")
        self.stdout.write(f"  {agent.provisioning_uri}")
        self.stdout.write("A link to choose a password was emailed to the agent.")
