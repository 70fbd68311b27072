"""Public catalogue API: search offers (`GET /offers`) and read one offer with its sessions (`GET /offers/{id}`)."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Query, Router, Schema

from opencpf.api.errors import ApiError
from opencpf.api.schemas import Detail, Errors, Id, IsoDate, Money
from opencpf.catalogue.search import OfferHit, SearchInputError, parse_search_params, search_offers
from opencpf.catalogue.selectors import offer_public_detail

router = Router(tags=["Catalogue"])


class OffersIn(Schema):
    q: str | None = None
    postal_code: str | None = None
    radius_km: int | None = None
    remote: bool | None = None
    start_after: IsoDate | None = None
    start_before: IsoDate | None = None
    max_price: Decimal | None = None
    max_hours: Decimal | None = None
    certification: str | None = None
    min_rating: Decimal | None = None
    sort: str | None = None
    page: int | None = None


class OrganisationRef(Schema):
    id: int
    name: str


class NextSession(Schema):
    id: int
    start_date: datetime.date
    end_date: datetime.date
    remote: bool
    postal_code: str
    city: str


class OfferSummary(Schema):
    id: int
    title: str
    price: Money
    hours: float
    modality: str
    organisation: OrganisationRef
    rating: float | None
    distance_km: float | None = None
    next_session: NextSession | None


class OffersOut(Schema):
    count: int
    page: int
    num_pages: int
    notices: list[str]
    results: list[OfferSummary]


def _summary(hit: OfferHit, with_distance: bool) -> dict:
    session = hit.next_session
    item = {
        "id": hit.id,
        "title": hit.title,
        "price": hit.price,
        "hours": float(hit.hours),
        "modality": hit.modality,
        "organisation": {"id": hit.organisation_id, "name": hit.organisation_name},
        "rating": float(hit.rating) if hit.rating is not None else None,
        "next_session": None
        if session is None
        else {
            "id": session.id,
            "start_date": session.start_date,
            "end_date": session.end_date,
            "remote": session.remote,
            "postal_code": session.postal_code,
            "city": session.city,
        },
    }
    if with_distance:
        item["distance_km"] = hit.distance_km
    return item


@router.get(
    "/offers",
    response={200: OffersOut, 400: Errors},
    exclude_unset=True,
    auth=None,
    summary="Search the catalogue",
    description=(
        "Keywords (French stemming, accents ignored), place (`postal_code` + `radius_km`, default 30 km), "
        "`remote` (remote or mixed offers only), session dates (`start_after`, `start_before`: place and dates "
        "hold for the same session), `max_price` (euros incl. tax), `max_hours`, `certification` (a code such as "
        "RNCP37274 or a kind: rncp, rs, vae, skills_assessment, driving_licence, business_creation), `min_rating` "
        "(1 to 5). `sort`: relevance, distance, price, rating, start_date. 20 results a page, with the total "
        "`count`; `distance_km` is given when a place is."
    ),
)
def list_offers(request, filters: Query[OffersIn]):
    try:
        params = parse_search_params(filters.dict(exclude_none=True))
        result = search_offers(params)
    except SearchInputError as error:
        raise ApiError(400, error.errors)
    with_distance = bool(params.postal_code)
    return {
        "count": result.count,
        "page": params.page,
        "num_pages": result.num_pages,
        "notices": result.notices,
        "results": [_summary(hit, with_distance) for hit in result.hits],
    }


class CertificationOut(Schema):
    code: str
    kind: str
    title: str
    level: int | None


class OrganisationOut(Schema):
    id: int
    name: str
    siret: str
    activity_declaration_number: str
    qualiopi_expires_on: datetime.date | None
    city: str


class RatingOut(Schema):
    average: float | None
    count: int
    details: dict[str, float]


class SessionOut(Schema):
    id: int
    start_date: datetime.date
    end_date: datetime.date
    remote: bool
    postal_code: str
    city: str
    latitude: float | None
    longitude: float | None
    seats: int | None


class OfferOut(Schema):
    id: int
    title: str
    summary: str
    objectives: str
    prerequisites: str
    programme: str
    price: Money
    hours: float
    modality: str
    certification: CertificationOut
    organisation: OrganisationOut
    rating: RatingOut
    sessions: list[SessionOut]


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, 400: Errors, 404: Detail},
    auth=None,
    summary="One offer with its sessions",
)
def get_offer(request, offer_id: Id):
    offer = offer_public_detail(offer_id)
    if offer is None:
        raise Http404
    organisation = offer.organisation
    certification = offer.certification
    return {
        "id": offer.pk,
        "title": offer.title,
        "summary": offer.summary,
        "objectives": offer.objectives,
        "prerequisites": offer.prerequisites,
        "programme": offer.programme,
        "price": offer.price,
        "hours": float(offer.hours),
        "modality": offer.modality,
        "certification": {
            "code": certification.code,
            "kind": certification.kind,
            "title": certification.title,
            "level": certification.level,
        },
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "siret": organisation.siret,
            "activity_declaration_number": organisation.activity_declaration_number,
            "qualiopi_expires_on": organisation.qualiopi_expires_on,
            "city": organisation.city,
        },
        "rating": {
            "average": float(offer.rating_average) if offer.rating_average is not None else None,
            "count": offer.rating_count,
            "details": {name: float(value) for name, value in (offer.rating_details or {}).items()},
        },
        "sessions": [
            {
                "id": session.pk,
                "start_date": session.start_date,
                "end_date": session.end_date,
                "remote": session.is_remote,
                "postal_code": session.postal_code,
                "city": session.city,
                "latitude": session.latitude,
                "longitude": session.longitude,
                "seats": session.seats,
            }
            for session in offer.upcoming_sessions
        ],
    }
