"""Funders' top-ups: adding one (the one path by which a funder's money enters an account), and moving out the
unused money of those whose date has passed (expiry, or back to the funder)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts.models import Holder, User
from opencpf.catalogue.validators import normalise_certification_code
from opencpf.rights.enums import Bucket, FunderKind, MovementKind
from opencpf.rights.models import TopUp
from opencpf.rights.services.core import (
    ZERO,
    RightsError,
    _entry,
    _expire_entry,
    _money,
    _refuse_if_closed,
    _save,
    _today,
    account_locked,
)


def _normalise_certifications(codes: Iterable[str]) -> list[str]:
    try:
        return sorted({normalise_certification_code(code) for code in codes if code and code.strip()})
    except ValidationError as error:
        raise RightsError(error.messages[0])


@transaction.atomic
def topup_add(
    *,
    holder: Holder,
    amount: Decimal,
    funder_kind: FunderKind | str,
    funder_name: str,
    created_by: User | None = None,
    earmark_certifications: Sequence[str] = (),
    earmark_offers: Sequence[int] = (),
    expires_on: datetime.date | None = None,
    return_unused: bool = False,
    for_dossier_id: int | None = None,
    on_date: datetime.date | None = None,
) -> TopUp:
    """Add a funder's top-up to the holder's account (earmarked to trainings and/or expiring, or neither; with
    `return_unused`, what is unused at expiry goes back to the funder). With `for_dossier_id`, a file top-up: usable
    for that training file only, and what the file gives back goes back to the funder."""
    on_date = on_date or _today()
    amount = _money(amount)
    if amount <= 0:
        raise RightsError(_("A top-up must be more than 0 €."))
    if funder_kind not in FunderKind.values:
        raise RightsError(_("Unknown kind of funder."))
    if not (funder_name or "").strip():
        raise RightsError(_("Give the funder's name."))
    if expires_on is not None and expires_on < on_date:
        raise RightsError(_("The top-up cannot expire before it is added."))
    account = account_locked(holder)
    _refuse_if_closed(account)
    top_up = TopUp.objects.create(
        holder=holder,
        funder_kind=funder_kind,
        funder_name=funder_name.strip(),
        created_by=created_by,
        amount=amount,
        remaining=amount,
        earmark_certifications=_normalise_certifications(earmark_certifications),
        earmark_offers=sorted({int(offer) for offer in earmark_offers}),
        expires_on=expires_on,
        return_unused=return_unused or for_dossier_id is not None,
        for_dossier_id=for_dossier_id,
    )
    _entry(account, kind=MovementKind.TOP_UP, bucket=Bucket.TOP_UP, amount=amount, on_date=on_date, top_up=top_up)
    _save(account)
    return top_up


@dataclass(frozen=True)
class Expired:
    top_up_id: int
    holder_id: int
    amount: Decimal
    expires_on: datetime.date


def topups_to_expire(on_date: datetime.date):
    """Top-ups whose last usable day is before `on_date` and that still hold money."""
    return TopUp.objects.filter(expires_on__lt=on_date, remaining__gt=0).order_by("holder_id", "id")


def topups_expire(*, on_date: datetime.date | None = None, dry_run: bool = False) -> list[Expired]:
    """Move the money of expired top-ups out of the balances (one expiry or funder return movement each).
    Idempotent.

    Each holder is handled in its own short transaction; `dry_run` only lists what would expire.
    """
    on_date = on_date or _today()
    done: list[Expired] = []
    holder_ids = list(topups_to_expire(on_date).values_list("holder_id", flat=True).distinct())
    for holder_id in holder_ids:
        if dry_run:
            done.extend(
                Expired(top_up_id=t.pk, holder_id=holder_id, amount=t.remaining, expires_on=t.expires_on)
                for t in topups_to_expire(on_date).filter(holder_id=holder_id)
            )
            continue
        with transaction.atomic():
            account = account_locked(Holder.objects.get(pk=holder_id))
            for top_up in topups_to_expire(on_date).filter(holder_id=holder_id).select_for_update():
                amount = top_up.remaining
                _expire_entry(account, top_up=top_up, amount=amount, on_date=on_date)
                top_up.remaining = ZERO
                top_up.save(update_fields=["remaining"])
                done.append(
                    Expired(top_up_id=top_up.pk, holder_id=holder_id, amount=amount, expires_on=top_up.expires_on)
                )
            _save(account)
    return done
