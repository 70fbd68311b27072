"""The organisation's offers: listed with filters and a cursor, created, edited, published and closed."""

from decimal import Decimal
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from opencpf.api.errors import ApiError
from opencpf.api.organisation.common import READ, WRITE, act, acting_organisation, own_offer, staff_organisation_ids
from opencpf.api.pagination import CursorQuery, paginate
from opencpf.api.schemas import Detail, Errors, Id, Money, StrictIn
from opencpf.catalogue.enums import Modality
from opencpf.catalogue.models import Offer
from opencpf.catalogue.services import offers as services
from opencpf.utils.client import client_ip

router = Router()


class OfferIn(StrictIn):
    organisation_id: Id | None = Field(None, description="Needed only when you act for several organisations")
    certification: str = Field(max_length=32, examples=["RNCP37274"])
    title: str = Field(max_length=300)
    price: Decimal = Field(description="Euros incl. tax, above 0, two decimals at most", examples=["1200.00"])
    hours: Decimal = Field(examples=["35"])
    modality: Literal[tuple(Modality.values)] = Modality.ON_SITE  # type: ignore[valid-type]
    external_number: str = Field("", max_length=64)
    summary: str = Field("", max_length=20_000)
    objectives: str = Field("", max_length=20_000)
    prerequisites: str = Field("", max_length=20_000)
    programme: str = Field("", max_length=20_000)
    expected_results: str = Field("", max_length=20_000)


class OfferPatch(StrictIn):
    certification: str | None = Field(None, max_length=32)
    title: str | None = Field(None, max_length=300)
    price: Decimal | None = None
    hours: Decimal | None = None
    modality: Literal[tuple(Modality.values)] | None = None  # type: ignore[valid-type]
    summary: str | None = Field(None, max_length=20_000)
    objectives: str | None = Field(None, max_length=20_000)
    prerequisites: str | None = Field(None, max_length=20_000)
    programme: str | None = Field(None, max_length=20_000)
    expected_results: str | None = Field(None, max_length=20_000)


class OrgOfferOut(Schema):
    id: int
    organisation_id: int
    external_number: str
    certification: str
    title: str
    price: Money
    hours: Decimal
    modality: str
    published: bool
    delisted: bool
    summary: str
    objectives: str
    prerequisites: str
    programme: str
    expected_results: str


class OrgOffersOut(Schema):
    count: int
    next_cursor: str | None
    results: list[OrgOfferOut]


class OffersQuery(CursorQuery):
    status: Literal["published", "closed"] | None = None
    q: str | None = Field(None, max_length=200, description="Words of the title, or the training number")
    organisation_id: Id | None = None


def _offer_json(offer: Offer) -> dict:
    return {
        "id": offer.pk,
        "organisation_id": offer.organisation_id,
        "external_number": offer.external_number,
        "certification": offer.certification.code,
        "title": offer.title,
        "price": offer.price,
        "hours": offer.hours,
        "modality": offer.modality,
        "published": offer.is_active,
        "delisted": offer.delisted_at is not None,
        "summary": offer.summary,
        "objectives": offer.objectives,
        "prerequisites": offer.prerequisites,
        "programme": offer.programme,
        "expected_results": offer.expected_results,
    }


@router.get(
    "/organisation/offers",
    response={200: OrgOffersOut, **READ},
    summary="My organisation's offers",
    operation_id="opencpf_api_organisation_list_offers",
)
def list_offers(request, query: Query[OffersQuery]):
    ids = staff_organisation_ids(request)
    offers = Offer.objects.filter(organisation_id__in=ids).select_related("certification")
    if query.organisation_id:
        offers = offers.filter(organisation_id=query.organisation_id)
    if query.status:
        offers = offers.filter(is_active=query.status == "published")
    if query.q and query.q.strip():
        offers = offers.filter(Q(title__icontains=query.q.strip()) | Q(external_number=query.q.strip()))
    items, cursor, count = paginate(offers, query)
    return {"count": count, "next_cursor": cursor, "results": [_offer_json(o) for o in items]}


@router.post(
    "/organisation/offers",
    response={201: OrgOfferOut, **WRITE},
    summary="Create an offer (unpublished)",
    operation_id="opencpf_api_organisation_create_offer",
)
def create_offer(request, payload: OfferIn):
    organisation = acting_organisation(request, payload.organisation_id)
    texts = payload.dict(include={"summary", "objectives", "prerequisites", "programme", "expected_results"})
    offer = services.offer_create(
        actor=request.auth,
        organisation=organisation,
        certification_code=payload.certification,
        title=payload.title,
        price=payload.price,
        hours=payload.hours,
        modality=payload.modality,
        external_number=payload.external_number,
        ip=client_ip(request),
        **texts,
    )
    return Status(201, _offer_json(offer))


@router.get(
    "/organisation/offers/{offer_id}",
    response={200: OrgOfferOut, 400: Errors, 401: Detail, 403: Detail, 404: Detail},
    operation_id="opencpf_api_organisation_get_offer",
)
def get_offer(request, offer_id: Id):
    return _offer_json(own_offer(request, offer_id))


@router.patch(
    "/organisation/offers/{offer_id}",
    response={200: OrgOfferOut, **WRITE},
    summary="Edit an offer",
    operation_id="opencpf_api_organisation_update_offer",
)
def update_offer(request, offer_id: Id, payload: OfferPatch):
    fields = payload.dict(exclude_unset=True)
    if any(value is None for value in fields.values()):
        raise ApiError(400, {name: [_("This field cannot be empty.")] for name, v in fields.items() if v is None})
    if "certification" in fields:
        fields["certification_code"] = fields.pop("certification")
    own_offer(request, offer_id)
    offer = act(lambda: services.offer_update(actor=request.auth, offer_id=offer_id, ip=client_ip(request), **fields))
    return _offer_json(offer)


@router.post(
    "/organisation/offers/{offer_id}/publish",
    response={200: OrgOfferOut, **WRITE},
    summary="Publish",
    operation_id="opencpf_api_organisation_publish_offer",
)
def publish_offer(request, offer_id: Id):
    own_offer(request, offer_id)
    return _offer_json(
        act(lambda: services.offer_publish(actor=request.auth, offer_id=offer_id, ip=client_ip(request)))
    )


@router.post(
    "/organisation/offers/{offer_id}/close",
    response={200: OrgOfferOut, **WRITE},
    summary="Close",
    operation_id="opencpf_api_organisation_close_offer",
)
def close_offer(request, offer_id: Id):
    own_offer(request, offer_id)
    return _offer_json(act(lambda: services.offer_close(actor=request.auth, offer_id=offer_id, ip=client_ip(request))))
