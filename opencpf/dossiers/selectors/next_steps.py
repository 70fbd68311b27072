"""The next deadline of a file and what happens next, in the active language."""

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from opencpf.dossiers.enums import (
    DEADLINES,
    DossierState,
    Ending,
)
from opencpf.dossiers.models import (
    Dossier,
)
from opencpf.dossiers.selectors.funding import ZERO
from opencpf.utils.formatting import long_date

S = DossierState


# --- deadlines and next steps ----------------------------------------------------------------------------------


def next_deadline(dossier: Dossier) -> tuple[str, datetime.date] | None:
    """The name and date of the deadline governing the file's current state (None for closed files)."""
    field = DEADLINES.get(DossierState(dossier.state))
    if field is None:
        return None
    value = getattr(dossier, field)
    return (field, value) if value else None


def _date(value: datetime.date | None) -> str:
    return long_date(value)


def late_cancellation_consequence(*, funded: Decimal | None, card: Decimal | None) -> str:
    """What a cancellation after the free period will cost, said of what the file engages: a holder who pays only
    the contribution by card is not told their rights are lost (DESIGN §2.3: later, everything engaged is kept)."""
    if funded and card:
        return _("after that, the rights engaged and what you paid by card will not come back.")
    if funded:
        return _("after that, the rights engaged will not come back.")
    return _("after that, what you paid by card will not be refunded.")


def state_message(dossier: Dossier, audience: str) -> str:
    """What happens next, for the holder (`audience="holder"`) or the organisation, in the active language."""
    d = dossier
    state = DossierState(d.state)
    holder = audience == "holder"
    if d.frozen_at is not None:
        return _(
            "Frozen: a scam report names this file. Until the Caisse des Dépôts decides, it cannot move and nothing "
            "is paid for it."
        )
    if state == S.SUBMITTED:
        if holder:
            return _(
                "The organisation answers by %(date)s with a proposal (dates and price) or a refusal. Without an "
                "answer by then, the request lapses and you may register elsewhere."
            ) % {"date": _date(d.respond_before)}
        return _(
            "Answer by %(date)s: propose a session and a price, or refuse with a reason. Without an answer the "
            "request lapses."
        ) % {"date": _date(d.respond_before)}
    if state == S.PROPOSED:
        if holder:
            return _(
                "Accept the proposal and pay by %(date)s, or it lapses. You will see how your rights fund it "
                "before paying."
            ) % {"date": _date(d.accept_before)}
        return _("The holder has until %(date)s to accept and pay.") % {"date": _date(d.accept_before)}
    if state == S.CONFIRMED:
        if holder:
            return _("The training starts on %(start)s. Free cancellation is possible until %(free)s; %(after)s") % {
                "start": _date(d.proposal_start),
                "free": _date(d.free_cancellation_until),
                "after": late_cancellation_consequence(funded=d.funded_amount, card=d.card_amount),
            }
        return _(
            "Declare the holder's entry from %(start)s and by %(date)s, or a no-show. Without a declaration the "
            "file is cancelled and the holder's rights restored."
        ) % {"start": _date(d.proposal_start), "date": _date(d.declare_entry_before)}
    if state == S.IN_TRAINING:
        if holder:
            return _("The training ends on %(end)s; the organisation then declares your exit.") % {
                "end": _date(d.proposal_end)
            }
        return _("Declare the exit with the completion share from %(end)s and by %(date)s.") % {
            "end": _date(d.proposal_end),
            "date": _date(d.declare_exit_before),
        }
    if state == S.COMPLETED:
        if holder:
            if d.took_place is None:
                return _("Confirm that the training took place and rate it.")
            return _("Thank you for your answer. The organisation will be paid.")
        return _("The platform pays you %(amount)s € by %(date)s.") % {
            "amount": _money(d.organisation_amount),
            "date": _date(d.pay_before),
        }
    if state == S.PAID:
        if holder and d.took_place is None:
            return _("Confirm that the training took place and rate it.")
        return _("The file is closed: the organisation has been paid.")
    if state == S.EXPIRED:
        return _("The organisation did not answer in time: the request lapsed. Nothing was taken from the rights.")
    if state == S.REFUSED_BY_OF:
        return _("The organisation refused the request: %(reason)s") % {"reason": d.refusal_reason}
    if state == S.PROPOSAL_EXPIRED:
        return _("The proposal was not accepted in time: it lapsed. Nothing was taken from the rights.")
    if d.settled_at and d.ending:
        return settlement_message(d)
    if state == S.CANCELLED_BY_HOLDER:
        return _("Cancelled by the holder before anything was engaged.")
    if state == S.CANCELLED_BY_OF:
        return _("Cancelled before anything was engaged.")
    if state == S.CANCELLED_FRAUD:
        return _("Cancelled after a confirmed scam: nothing was taken from the rights.")
    return ""  # pragma: no cover


def _money(amount: Decimal | None) -> str:
    return formats.number_format(amount or ZERO, 2, use_l10n=True, force_grouping=True)


def settlement_message(d: Dossier) -> str:
    return _(
        "%(ending)s Rights restored: %(restored)s €; rights used: %(lost)s €; card refund: %(refund)s €; paid to "
        "the organisation: %(paid)s €."
    ) % {
        "ending": Ending(d.ending).label,
        "restored": _money(d.restored_amount),
        "lost": _money(d.forfeited_amount),
        "refund": _money(d.holder_refund),
        "paid": _money(d.organisation_amount),
    }
