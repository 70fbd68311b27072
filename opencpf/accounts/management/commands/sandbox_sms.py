"""Print the text messages kept by the SANDBOX SMS gateway (no SMS leaves the platform in the demo)."""

from django.core.management.base import BaseCommand

from opencpf.accounts.models import SmsOutbox


class Command(BaseCommand):
    help = "Show the latest messages of the sandbox SMS gateway (the demo's phone)."

    def add_arguments(self, parser):
        parser.add_argument("--last", type=int, default=10, help="How many messages (newest first).")

    def handle(self, *args, last: int, **options):
        messages = SmsOutbox.objects.order_by("-created_at")[:last]
        if not messages:
            self.stdout.write("The sandbox SMS outbox is empty.")
        for sms in messages:
            self.stdout.write(f"{sms.created_at:%Y-%m-%d %H:%M:%S}  to {sms.to}\n  {sms.body}")
