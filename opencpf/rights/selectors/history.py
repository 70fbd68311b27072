"""A holder's history: every movement of the ledger, newest first, each with its plain explanation and legal
references (a yearly credit explained again from that year's declarations)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opencpf.accounts.enums import ClosureReason
from opencpf.accounts.models import Holder
from opencpf.parameters import Reference, citation, parameter
from opencpf.rights import rules
from opencpf.rights.enums import SETTLEMENT_KINDS, Bucket, FunderKind, MovementKind
from opencpf.rights.models import LedgerEntry
from opencpf.rights.selectors.declarations import declarations_by_year
from opencpf.rights.selectors.explanations import RenderedLine, reason_text, render_lines
from opencpf.utils.formatting import long_date

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class HistoryItem:
    id: int
    date: datetime.date
    kind: str
    kind_label: str
    bucket: str
    amount: Decimal
    year: int | None
    dossier_id: int | None
    lines: tuple[RenderedLine, ...]


def paid_the_training(entry: LedgerEntry) -> bool:
    """Engaged rights that paid the training organisation: a payment, or a forfeiture with cause "spent" (written
    before payments had their own kind). Its label and its explanation both follow this one answer."""
    return entry.kind == MovementKind.PAYMENT or (
        entry.kind == MovementKind.FORFEITURE and (entry.details or {}).get("cause") == "spent"
    )


def _line(message: str, reference: Reference | tuple[Reference, ...], **params) -> rules.Line:
    references = reference if isinstance(reference, tuple) else (reference,)
    return rules.Line(message=message, params=params, references=references)


def _credit_lines(entry: LedgerEntry, declarations: dict, balance_before: Decimal) -> list[rules.Line]:
    details = entry.details or {}
    employments, activity = declarations.get(entry.year, ([], None))
    fallback = [
        _line(
            gettext_noop("Yearly credit for the work of %(year)s: %(amount)s."),
            citation("accrual_by_work"),
            year=entry.year,
            amount=rules.Money(entry.amount),
        )
    ]
    if not employments and activity is None:
        return fallback
    try:
        result = rules.yearly_credit(
            year=entry.year,
            employments=employments,
            self_employment=activity,
            low_qualified=bool(details.get("low_qualified")),
            disabled_worker=bool(details.get("disabled_worker")),
            balance=Decimal(details["balance"]) if "balance" in details else balance_before,
        )
    except Exception:
        return fallback
    if result.credit != entry.amount:
        return fallback
    return list(result.lines)


def _top_up_lines(entry: LedgerEntry) -> list[rules.Line]:
    top_up = entry.top_up
    lines = [
        _line(
            gettext_noop("Top-up from %(funder)s (%(funder_kind_label)s)."),
            citation("top_up"),
            funder=top_up.funder_name,
            funder_kind_label=FunderKind(top_up.funder_kind).label,
        )
    ]
    if top_up.is_earmarked:
        targets = [*top_up.earmark_certifications, *(f"#{offer}" for offer in top_up.earmark_offers)]
        lines.append(
            _line(
                gettext_noop("Earmarked: it can only fund these trainings: %(targets)s."),
                citation("top_up_expiry"),
                targets=", ".join(targets),
            )
        )
    if top_up.expires_on:
        lines.append(
            _line(
                gettext_noop("Usable until %(date)s; what is left after that day goes back to the funder, as agreed.")
                if top_up.return_unused
                else gettext_noop("Usable until %(date)s; what is left after that day expires."),
                citation("top_up_expiry"),
                date=long_date(top_up.expires_on),
            )
        )
    return lines


def _entry_lines(entry: LedgerEntry, declarations: dict, balance_before: Decimal = ZERO) -> list[rules.Line]:
    kind = entry.kind
    source = (
        _("the top-up from %(funder)s") % {"funder": entry.top_up.funder_name}
        if entry.top_up_id
        else _("your acquired rights")
    )
    if kind == MovementKind.YEARLY_CREDIT:
        return _credit_lines(entry, declarations, balance_before)
    if kind == MovementKind.TOP_UP:
        return _top_up_lines(entry)
    if kind == MovementKind.ENGAGEMENT:
        return [
            _line(
                gettext_noop("Used for training file no. %(dossier)s, taken from %(source)s."),
                citation("engagement"),
                dossier=entry.dossier_id,
                source=source,
            )
        ]
    if kind == MovementKind.RESTORATION:
        lines = [
            _line(
                gettext_noop("Given back from training file no. %(dossier)s to %(source)s."),
                citation("restoration"),
                dossier=entry.dossier_id,
                source=source,
            )
        ]
        if entry.reason:
            lines.append(
                _line(gettext_noop("Reason: %(reason)s"), citation("restoration"), reason=reason_text(entry.reason))
            )
        return lines
    if kind in SETTLEMENT_KINDS:
        # Written before issue 8, a forfeiture had amount 0 and what it concerned in `details`.
        lost = rules.Money(-entry.amount if entry.amount else Decimal(entry.details.get("lost", "0")))
        if paid_the_training(entry):
            return [
                _line(
                    gettext_noop("%(lost)s paid the training organisation for training file no. %(dossier)s."),
                    citation("engagement"),
                    lost=lost,
                    dossier=entry.dossier_id,
                )
            ]
        if entry.details.get("cause") == "cap":
            return [
                _line(
                    gettext_noop(
                        "%(lost)s of training file no. %(dossier)s could not come back: your acquired rights "
                        "reached the cap meanwhile."
                    ),
                    parameter("rights/cap").references(entry.effective_on),
                    lost=lost,
                    dossier=entry.dossier_id,
                )
            ]
        lines = [
            _line(
                gettext_noop(
                    "%(lost)s engaged for training file no. %(dossier)s are lost. Your balance does not change: "
                    "these rights had left it when the file was accepted."
                ),
                citation("forfeiture"),
                lost=lost,
                dossier=entry.dossier_id,
            )
        ]
        if entry.reason:
            lines.append(
                _line(gettext_noop("Reason: %(reason)s"), citation("forfeiture"), reason=reason_text(entry.reason))
            )
        return lines
    if kind == MovementKind.EXPIRY:
        return [
            _line(
                gettext_noop("The top-up from %(funder)s expired: it was usable until %(date)s."),
                citation("top_up_expiry"),
                funder=entry.top_up.funder_name,
                date=long_date(entry.top_up.expires_on) if entry.top_up.expires_on else "",
            )
        ]
    if kind == MovementKind.FUNDER_RETURN:
        return [
            _line(
                gettext_noop(
                    "The unused part of the top-up from %(funder)s went back to it, as agreed: it was usable "
                    "until %(date)s."
                ),
                citation("top_up_expiry"),
                funder=entry.top_up.funder_name,
                date=long_date(entry.top_up.expires_on) if entry.top_up.expires_on else "",
            )
        ]
    if kind == MovementKind.CORRECTION:
        return [
            _line(
                gettext_noop("Correction by the Caisse des Dépôts: %(reason)s"),
                citation("correction"),
                reason=entry.reason,
            )
        ]
    if kind == MovementKind.CLOSURE:
        reason = entry.details.get("reason", "")
        label = ClosureReason(reason).label if reason in ClosureReason.values else reason
        return [
            _line(
                gettext_noop("Account closed (%(reason_label)s): no more credits, and the rights cannot be used."),
                citation("closure"),
                reason_label=label,
            )
        ]
    return []  # pragma: no cover


def rights_history(holder: Holder, translate: Callable[[str], str] = _) -> list[HistoryItem]:
    """Every movement, newest first, each with its plain explanation and legal references."""
    entries = list(LedgerEntry.objects.filter(holder=holder).select_related("top_up").order_by("id"))
    years = {e.year for e in entries if e.kind == MovementKind.YEARLY_CREDIT and e.year}
    declarations = declarations_by_year(holder.pk, years)
    # The acquired balance before each movement: the sum of the earlier ones (balances equal the ledger).
    before: dict[int, Decimal] = {}
    running = ZERO
    for entry in entries:
        before[entry.pk] = running
        if entry.bucket == Bucket.ACQUIRED and entry.kind not in SETTLEMENT_KINDS:
            running += entry.amount
    entries.sort(key=lambda e: (e.effective_on, e.pk), reverse=True)
    return [
        HistoryItem(
            id=entry.pk,
            date=entry.effective_on,
            kind=entry.kind,
            kind_label=_("Training paid") if paid_the_training(entry) else str(MovementKind(entry.kind).label),
            bucket=entry.bucket,
            # What the balance did: settlements of engaged rights leave it as it is (it moved at engagement).
            amount=ZERO if entry.kind in SETTLEMENT_KINDS else entry.amount,
            year=entry.year,
            dossier_id=entry.dossier_id,
            lines=tuple(render_lines(_entry_lines(entry, declarations, before[entry.pk]), translate)),
        )
        for entry in entries
    ]
