"""After the end: the holder's word that the training took place, and ratings."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.accounts.models import User
from opencpf.catalogue.models import Offer
from opencpf.dossiers import rules
from opencpf.dossiers.models import (
    RATING_CRITERIA,
    Dossier,
    Evaluation,
    OrganisationPayment,
    OrganisationPaymentStatus,
)
from opencpf.dossiers.services.core import (
    ZERO,
    DossierError,
    S,
    _actor,
    _invalid,
    _lock,
    _now,
    _text,
)

# --- after the end: the holder's word and ratings -----------------------------------------------------------------


def _ratings(ratings: Mapping[str, object] | None) -> dict[str, int]:
    errors = {}
    clean = {}
    for name in RATING_CRITERIA:
        value = (ratings or {}).get(name)
        try:
            number = int(str(value))
            if str(number) != str(value).strip() or not 1 <= number <= 5:
                raise ValueError
            clean[name] = number
        except (TypeError, ValueError):
            errors[name] = [_("Give a rating from 1 to 5.")]
    if errors:
        raise _invalid(errors)
    return clean


def _offer_rating_add(offer_id: int, scores: dict[str, int]) -> None:
    """Add one evaluation to the offer's public averages (overall and per criterion)."""
    from opencpf.catalogue.services import offer_rating_update

    offer = Offer.objects.select_for_update().get(pk=offer_id)
    count = offer.rating_count
    overall = Decimal(sum(scores.values())) / len(scores)
    old = offer.rating_average or ZERO
    average = (old * count + overall) / (count + 1)
    details = {}
    for name, score in scores.items():
        previous = Decimal(str((offer.rating_details or {}).get(name, old or score)))
        details[name] = (previous * count + score) / (count + 1)
    offer_rating_update(offer=offer, average=average, count=count + 1, details=details)


@transaction.atomic
def dossier_evaluate(
    *,
    dossier_id: int,
    user: User,
    took_place: bool,
    ratings: Mapping[str, object] | None = None,
    comment: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """After the end, the holder confirms the training took place and rates it (1–5 on five criteria, optional
    comment, shown without their name on the offer). If they say it did not take place, the organisation's
    payment is held for an agent. Once per file; not a move of the state machine."""
    now = _now(now)
    today = rules.paris_date(now)
    dossier = _lock(dossier_id)
    _actor(dossier, user, holder=True)
    if dossier.state not in (S.COMPLETED, S.PAID) or today < dossier.proposal_end:
        raise DossierError(
            {"__all__": [_("You can evaluate a training once it has ended and its exit has been declared.")]},
            code="not_allowed",
        )
    if dossier.took_place is not None:
        raise DossierError({"__all__": [_("You have already answered for this training.")]}, code="already_evaluated")
    comment = _text(comment, "comment", required=False)
    if took_place:
        scores = _ratings(ratings)
        Evaluation.objects.create(
            dossier=dossier, offer_id=dossier.offer_id, comment=comment, created_at=now, **scores
        )
        _offer_rating_add(dossier.offer_id, scores)
    else:
        OrganisationPayment.objects.filter(dossier=dossier, status=OrganisationPaymentStatus.DUE).update(
            status=OrganisationPaymentStatus.HELD
        )
    Dossier.objects.filter(pk=dossier.pk).update(took_place=bool(took_place), updated_at=now)
    dossier.took_place = bool(took_place)
    from opencpf.accounts.services import audit

    audit(
        actor=user,
        action="dossier_evaluated" if took_place else "dossier_reported_not_delivered",
        target=f"dossier:{dossier.pk}",
        ip=ip,
    )
    return dossier
