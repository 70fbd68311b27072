"""Small helpers shared by the accounts tests (reading codes the way a holder would)."""

import re

from django.core import mail
from django_otp.oath import totp

from opencpf.accounts.models import SmsOutbox

CODE = re.compile(r"\b(\d{6})\b")


def code_in(text: str) -> str:
    match = CODE.search(text)
    assert match, f"no 6-digit code in: {text!r}"
    return match.group(1)


def last_code_emailed_to(address: str) -> str:
    for message in reversed(mail.outbox):
        if address in message.to:
            return code_in(message.body)
    raise AssertionError(f"no email to {address}")


def last_sms_code(number: str) -> str:
    sms = SmsOutbox.objects.filter(to=number).order_by("-pk").first()
    assert sms is not None, f"no SMS to {number}"
    return code_in(sms.body)


def totp_code(device, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods later, within the accepted tolerance)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"
