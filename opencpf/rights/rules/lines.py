"""Explanation lines and the values they carry (money, numbers), with their legal references."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from opencpf.parameters import Reference

CENT = Decimal("0.01")


ZERO = Decimal("0.00")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (Django's makemessages extracts `gettext_noop` calls) without Django."""
    return message


# --- values in lines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    amount: Decimal

    def __str__(self) -> str:
        return f"{self.amount:.2f} €"


@dataclass(frozen=True)
class Number:
    value: Decimal

    def __str__(self) -> str:
        return format_number(self.value)


@dataclass(frozen=True)
class Kinds:
    """Kinds of absence (codes of `rights.enums.AbsenceKind`), rendered as their labels on the Django side."""

    codes: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join(self.codes)


def format_number(value: Decimal) -> str:
    """1500 → "1500", 800.50 → "800.5": hours and shares without useless zeros."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Line:
    """One explanation line: a message, its values, and the legal texts it rests on."""

    message: str
    params: Mapping[str, object]
    references: tuple[Reference, ...]

    def render(
        self,
        translate: Callable[[str], str] = lambda message: message,
        money: Callable[[Decimal], str] = lambda amount: str(Money(amount)),
        number: Callable[[Decimal], str] = lambda value: format_number(value),
        kinds: Callable[[tuple[str, ...]], str] = lambda codes: ", ".join(codes),
    ) -> str:
        values = {}
        for key, item in self.params.items():
            if isinstance(item, Money):
                values[key] = money(item.amount)
            elif isinstance(item, Number):
                values[key] = number(item.value)
            elif isinstance(item, Kinds):
                values[key] = kinds(item.codes)
            else:
                values[key] = translate(item) if isinstance(item, str) and key.endswith("_label") else item
        return translate(self.message) % values

    @property
    def text(self) -> str:
        return self.render()

    @property
    def reference(self) -> str:
        return "; ".join(reference.title for reference in self.references)


def _line(message: str, references: Iterable[Reference], **params: object) -> Line:
    return Line(message=message, params=params, references=tuple(references))


def to_money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def round_up_to_cent(value: Fraction) -> Decimal:
    """The smallest amount in cents that is not below `value` (R6323-1 II: "au centime d'euro supérieur")."""
    return (Decimal(math.ceil(value * 100)) / 100).quantize(CENT)
