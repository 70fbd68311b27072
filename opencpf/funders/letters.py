"""The letter a holder gives their employer to ask for an allocation (abondement) on one training file: who asks,
the training, its price, what their rights cover and the amount missing (the ceiling an employer may grant,
`selectors.file_top_up_ceiling`). A read: it builds a PDF and writes nothing."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from opencpf.dossiers.selectors import funding_for
from opencpf.funders.selectors import file_top_up_ceiling
from opencpf.rights.enums import FunderKind
from opencpf.utils.formatting import long_date
from opencpf.utils.pdf import text_pdf


def _euros(amount) -> str:
    return formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True) + " €"


def employer_letter(*, dossier, on_date: datetime.date) -> tuple[bytes, str] | None:
    """(PDF bytes, amount missing as text), or None when the holder's rights already cover the training."""
    missing = file_top_up_ceiling(dossier=dossier, funder_kind=FunderKind.EMPLOYER, on_date=on_date)
    if missing <= 0:
        return None
    holder = dossier.holder
    plan = funding_for(dossier, on=on_date).plan
    date = long_date(on_date)
    paragraphs = [
        holder.full_name,
        holder.address_line1,
        f"{holder.postal_code} {holder.city}",
        "",
        _("To my employer"),
        "",
        _("%(place)s, %(date)s") % {"place": holder.city, "date": date},
        "",
        _("Subject: request for an allocation to my personal training account (CPF)"),
        "",
        _("Madam, Sir,"),
        "",
        _(
            "I would like to follow the training “%(title)s” given by %(organisation)s from %(start)s to %(end)s, "
            "for a price of %(price)s (training file no. %(file)s on my personal training account)."
        )
        % {
            "title": dossier.offer.title,
            "organisation": dossier.offer.organisation.name,
            "start": long_date(dossier.start),
            "end": long_date(dossier.end),
            "price": _euros(plan.price),
            "file": dossier.pk,
        },
        "",
        _("My rights cover %(funded)s of it. The amount missing is %(missing)s.")
        % {
            "funded": _euros(plan.price - missing),
            "missing": _euros(missing),
        },
        "",
        _(
            "I ask you to cover this amount with an allocation (abondement) to this training file, through the "
            "funder space of the platform. An allocation from the employer also waives the flat contribution that "
            "I would otherwise pay (Code du travail, art. L6323-4)."
        ),
        "",
        _("Thank you for considering my request. Yours faithfully,"),
        "",
        holder.full_name,
    ]
    return text_pdf(paragraphs, title=_("Request for an allocation")), _euros(missing)
