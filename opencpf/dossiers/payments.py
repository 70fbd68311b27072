"""Card payments of the holder (the flat contribution and any shortfall) through a payment provider.

The platform talks to a provider through `PaymentProvider`: `charge` takes money from a card (or raises
`PaymentDeclined`), `refund` gives back part or all of a charge. `settings.OPENCPF_PAYMENT_PROVIDER` names the
class to use (dotted path).

The built-in `SandboxCardProvider` is a SANDBOX: no card network exists here, no money moves. It accepts any
card number that passes the Luhn check with a future expiry date and a 3-digit code, and declines these
documented numbers, like the test cards of real providers:

    4000 0000 0000 0002   declined by the bank
    4000 0000 0000 9995   declined: insufficient funds

Any other Luhn-valid number (e.g. 4242 4242 4242 4242) is accepted. A real deployment plugs its provider's
client in with the same two methods.
"""

import dataclasses
import datetime
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import luhn

SANDBOX_DECLINED = {
    "4000000000000002": gettext_lazy("The bank declined the card."),
    "4000000000009995": gettext_lazy("The card was declined: insufficient funds."),
}


class InvalidCard(Exception):
    """The card details are malformed: `errors` maps each field to its messages (nothing was sent)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


class PaymentDeclined(Exception):
    """The provider refused the charge; str(error) is for the holder. Nothing was taken."""


@dataclasses.dataclass(frozen=True)
class Card:
    # Never in a repr (tracebacks, logs): only last4 may appear anywhere.
    number: str = dataclasses.field(repr=False)
    expiry_month: int
    expiry_year: int
    cvc: str = dataclasses.field(repr=False)
    holder_name: str = ""

    @property
    def last4(self) -> str:
        return self.number[-4:]


@dataclasses.dataclass(frozen=True)
class Charge:
    reference: str
    amount: Decimal
    last4: str


@dataclasses.dataclass(frozen=True)
class Refund:
    reference: str
    amount: Decimal


def card_from_input(*, number, expiry_month, expiry_year, cvc, holder_name="", today: datetime.date) -> Card:
    """Clean what the holder typed; InvalidCard with messages per field."""
    errors: dict[str, list[str]] = {}
    digits = "".join(str(number or "").split()).replace("-", "")
    if not (digits.isdigit() and 12 <= len(digits) <= 19 and luhn.is_valid(digits)):
        errors["number"] = [_("Enter a valid card number.")]
    try:
        month, year = int(expiry_month), int(expiry_year)
        if year < 100:
            year += 2000
        if not 1 <= month <= 12:
            raise ValueError
        if (year, month) < (today.year, today.month):
            errors["expiry"] = [_("This card has expired.")]
    except (TypeError, ValueError):
        errors["expiry"] = [_("Enter the expiry date as month and year.")]
        month = year = 0
    cvc = str(cvc or "").strip()
    if not (cvc.isdigit() and len(cvc) in (3, 4)):
        errors["cvc"] = [_("Enter the 3 digits on the back of the card.")]
    if errors:
        raise InvalidCard(errors)
    return Card(number=digits, expiry_month=month, expiry_year=year, cvc=cvc, holder_name=str(holder_name or ""))


class PaymentProvider:
    name = "provider"
    is_sandbox = False

    def charge(self, *, amount: Decimal, card: Card, description: str, idempotency_key: str) -> Charge:
        raise NotImplementedError

    def refund(self, *, charge_reference: str, amount: Decimal, idempotency_key: str) -> Refund:
        raise NotImplementedError


class SandboxCardProvider(PaymentProvider):
    """SANDBOX provider: accepts Luhn-valid test cards, declines the documented numbers, moves no real money."""

    name = "sandbox"
    is_sandbox = True

    def charge(self, *, amount: Decimal, card: Card, description: str, idempotency_key: str) -> Charge:
        if amount <= 0:
            raise ValueError("a charge is positive")
        if card.number in SANDBOX_DECLINED:
            raise PaymentDeclined(str(SANDBOX_DECLINED[card.number]))
        digest = hashlib.sha256(f"{idempotency_key}:{secrets.token_hex(8)}".encode()).hexdigest()[:20]
        return Charge(reference=f"sbx_ch_{digest}", amount=amount, last4=card.last4)

    def refund(self, *, charge_reference: str, amount: Decimal, idempotency_key: str) -> Refund:
        if amount <= 0:
            raise ValueError("a refund is positive")
        digest = hashlib.sha256(f"{charge_reference}:{idempotency_key}".encode()).hexdigest()[:20]
        return Refund(reference=f"sbx_re_{digest}", amount=amount)


def payment_provider() -> PaymentProvider:
    path = settings.OPENCPF_PAYMENT_PROVIDER
    return import_string(path)()
