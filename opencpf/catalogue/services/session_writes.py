"""The plain writes of sessions (dates and place checked, search followed), without roles or audit: the
organisation's own actions go through `catalogue.services.offers`, which checks both and calls these."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.services.search_follow import search_index_follow
from opencpf.places.selectors import place_for, places_for_postal_code


def _session_place(*, is_remote: bool, postal_code: str, city: str) -> dict:
    if is_remote:
        return {
            "is_remote": True,
            "postal_code": "",
            "city": "",
            "insee_code": "",
            "latitude": None,
            "longitude": None,
        }
    postal_code = (postal_code or "").strip().replace(" ", "")
    if not places_for_postal_code(postal_code):
        raise ValidationError({"postal_code": [_("Unknown postal code.")]})
    place = place_for(postal_code, city)
    if place is None:
        raise ValidationError({"city": [_("This city does not match the postal code.")]})
    return {
        "is_remote": False,
        "postal_code": place.postal_code,
        "city": place.name,
        "insee_code": place.insee,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def _check_dates(start_date: datetime.date, end_date: datetime.date) -> None:
    if end_date < start_date:
        raise ValidationError({"end_date": [_("The session cannot end before it starts.")]})


@transaction.atomic
def session_create(
    *,
    offer: Offer,
    start_date: datetime.date,
    end_date: datetime.date,
    is_remote: bool = False,
    postal_code: str = "",
    city: str = "",
    seats: int | None = None,
) -> Session:
    _check_dates(start_date, end_date)
    if seats is not None and seats < 1:
        raise ValidationError({"seats": [_("Enter at least one seat, or leave empty for no limit.")]})
    session = Session.objects.create(
        offer=offer,
        start_date=start_date,
        end_date=end_date,
        seats=seats,
        **_session_place(is_remote=is_remote, postal_code=postal_code, city=city),
    )
    search_index_follow(offer_ids=[offer.pk])
    return session


@transaction.atomic
def session_update(*, session: Session, **fields) -> Session:
    allowed = {"start_date", "end_date", "is_remote", "postal_code", "city", "seats", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if {"is_remote", "postal_code", "city"} & set(fields):
        fields.update(
            _session_place(
                is_remote=fields.pop("is_remote", session.is_remote),
                postal_code=fields.pop("postal_code", session.postal_code),
                city=fields.pop("city", session.city),
            )
        )
    for name, value in fields.items():
        setattr(session, name, value)
    _check_dates(session.start_date, session.end_date)
    session.save()
    search_index_follow(offer_ids=[session.offer_id])
    return session
