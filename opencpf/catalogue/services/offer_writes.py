"""The plain writes of offers (fields cleaned, search followed), without roles or audit: the organisation's own
actions go through `catalogue.services.offers`, which checks both and calls these."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.catalogue.enums import Modality
from opencpf.catalogue.models import Certification, Offer, Organisation
from opencpf.catalogue.services.search_follow import search_index_follow

CENT = Decimal("0.01")

_OFFER_FIELDS = {
    "certification",
    "external_number",
    "title",
    "summary",
    "objectives",
    "prerequisites",
    "programme",
    "expected_results",
    "price",
    "hours",
    "modality",
    "is_active",
}


def _clean_offer_fields(fields: dict) -> dict:
    errors = {}
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = [_("Enter a title.")]
    if "price" in fields:
        try:
            fields["price"] = Decimal(str(fields["price"])).quantize(CENT, rounding=ROUND_HALF_UP)
            if fields["price"] < 0 or fields["price"] >= Decimal("100000000"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["price"] = [_("Enter a price in euros, 0 or more.")]
    if "hours" in fields:
        try:
            fields["hours"] = Decimal(str(fields["hours"])).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if fields["hours"] <= 0 or fields["hours"] >= Decimal("1000000"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["hours"] = [_("Enter a duration in hours, more than 0.")]
    if "modality" in fields and fields["modality"] not in Modality.values:
        errors["modality"] = [_("Choose on site, remote or mixed.")]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def offer_create(
    *,
    organisation: Organisation,
    certification: Certification,
    title: str,
    price: Decimal,
    hours: Decimal,
    modality: Modality = Modality.ON_SITE,
    **fields,
) -> Offer:
    unknown = set(fields) - _OFFER_FIELDS
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    fields = _clean_offer_fields({"title": title, "price": price, "hours": hours, "modality": modality, **fields})
    offer = Offer.objects.create(organisation=organisation, certification=certification, **fields)
    search_index_follow(offer_ids=[offer.pk])
    return offer


@transaction.atomic
def offer_update(*, offer: Offer, **fields) -> Offer:
    unknown = set(fields) - _OFFER_FIELDS
    if unknown:
        raise TypeError(f"unknown offer fields: {sorted(unknown)}")
    fields = _clean_offer_fields(fields)
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.save()
    search_index_follow(offer_ids=[offer.pk])
    return offer


@transaction.atomic
def offer_rating_update(
    *, offer: Offer, average: Decimal | None, count: int, details: dict[str, Decimal] | None = None
) -> Offer:
    """Store the aggregates of the holders' evaluations (computed by the training files' area) and show them."""
    if count < 0 or (count == 0) != (average is None):
        raise ValidationError({"rating": [_("An average needs at least one rating, and one rating an average.")]})
    if average is not None:
        average = Decimal(str(average)).quantize(CENT, rounding=ROUND_HALF_UP)
        if not Decimal(1) <= average <= Decimal(5):
            raise ValidationError({"rating": [_("Ratings go from 1 to 5.")]})
    offer.rating_average = average
    offer.rating_count = count
    if details is not None:
        offer.rating_details = {
            name: str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)) for name, value in details.items()
        }
    offer.save(update_fields=["rating_average", "rating_count", "rating_details", "updated_at"])
    search_index_follow(offer_ids=[offer.pk])
    return offer
