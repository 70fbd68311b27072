"""Text messages (SMS) behind a small gateway interface.

No SMS provider is wired here: the built-in gateway is a SANDBOX that sends nothing and stores every message in
the `SmsOutbox` table (visible to agents in the admin), which plays the recipient's phone in demos and tests.
A real provider is another class with the same `send` method, named by the `OPENCPF_SMS_GATEWAY` setting.
"""

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

from opencpf.accounts.models import SmsOutbox

logger = logging.getLogger(__name__)


class SmsGateway(Protocol):
    label: str

    def send(self, *, to: str, body: str) -> None:
        """Deliver `body` to the E.164 number `to`, or raise."""


class SandboxSmsGateway:
    """Sends nothing: stores the message in SmsOutbox (the sandbox's phone) and, in the demo
    (OPENCPF_SMS_TO_CONSOLE, on with the console emails of `make run`), prints it like the emails."""

    label = "sandbox"

    def send(self, *, to: str, body: str) -> None:
        SmsOutbox.objects.create(to=to, body=body)
        if settings.OPENCPF_SMS_TO_CONSOLE:
            sys.stdout.write(f"--- SMS (sandbox, nothing sent) to {to} ---\n{body}\n---\n")
            sys.stdout.flush()


def mask_phone(number: str) -> str:
    """+33•••••••78: enough to recognise a number in a log, not to call it."""
    return f"{number[:3]}{'•' * max(len(number) - 5, 0)}{number[-2:]}" if len(number) > 5 else "•••"


def gateway() -> SmsGateway:
    return import_string(settings.OPENCPF_SMS_GATEWAY)()


def send_sms(*, to: str, template: str, context: dict, language: str = "fr") -> None:
    """Render `template` in the recipient's language and hand it to the gateway."""
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, context).strip()
    sender = gateway()
    sender.send(to=to, body=body)
    # Never the body: it carries a code.
    logger.info("SMS sent to %s through the %s gateway", mask_phone(to), sender.label)
