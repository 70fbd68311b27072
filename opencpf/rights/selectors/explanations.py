"""The rules' explanation lines made text for people (numbers and money in the reader's language, kinds of
absence, stored reasons), and the sentence saying which absences count as time worked."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _

from opencpf.parameters import Reference, parameter
from opencpf.rights import rules
from opencpf.rights.enums import REASON_SEPARATOR, AbsenceKind
from opencpf.utils.legal import format_money


def format_number(value: Decimal) -> str:
    text = rules.format_number(Decimal(value))
    decimals = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(Decimal(text), decimals, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class RenderedLine:
    text: str
    references: tuple[Reference, ...]

    @property
    def reference(self) -> str:
        return "; ".join(reference.title for reference in self.references)


def absence_labels(codes) -> str:
    """("maternity", "carer") → "maternity leave and carer leave", in the active language."""
    labels = [str(AbsenceKind(code).label) for code in codes if code in AbsenceKind.values]
    return get_text_list([label[:1].lower() + label[1:] for label in labels], _("and"))


def absences_counted_as_work(on: datetime.date) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds of absence counted as time worked on `on` (the dated parameter), and the others."""
    counted = tuple(parameter("rights/absences_counted_as_work").value(on))
    return counted, tuple(kind for kind in AbsenceKind.values if kind not in counted)


def absences_rule_text(on: datetime.date | None = None) -> str:
    """One sentence saying which absences count as time worked, from the parameter in force (today by default)."""
    counted, other = absences_counted_as_work(on or timezone.localdate())
    return _("%(counted)s count as time worked; %(other)s do not.") % {
        "counted": capfirst(absence_labels(counted)),
        "other": absence_labels(other),
    }


def reason_text(reason: str) -> str:
    """A stored movement reason in the reader's language: "<English label> — <free text>" from the settlement of a
    file (see opencpf.dossiers.services.settlement); the label is translated now, the free text is as written."""
    label, separator, rest = reason.partition(REASON_SEPARATOR)
    return f"{_(label)}{separator}{rest}" if label else reason


def render_lines(lines, translate: Callable[[str], str] = _) -> list[RenderedLine]:
    return [
        RenderedLine(
            text=line.render(translate, money=format_money, number=format_number, kinds=absence_labels),
            references=line.references,
        )
        for line in lines
    ]
