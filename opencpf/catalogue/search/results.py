"""What a search answers: a page of offers, each with its best matching session, and how many there are in all."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from opencpf.catalogue.search.params import MAX_PAGE, SearchParams
from opencpf.places.selectors import Place


@dataclass(frozen=True)
class SessionHit:
    id: int
    start_date: datetime.date
    end_date: datetime.date
    remote: bool
    postal_code: str
    city: str
    distance_km: float | None = None


@dataclass(frozen=True)
class OfferHit:
    id: int
    title: str
    summary: str
    price: Decimal
    hours: Decimal
    modality: str
    organisation_id: int
    organisation_name: str
    rating: Decimal | None
    rating_count: int
    certification_code: str
    certification_kind: str
    certification_title: str
    distance_km: float | None
    next_session: SessionHit | None
    session_count: int


@dataclass
class SearchResult:
    params: SearchParams
    count: int
    hits: list[OfferHit]
    place: Place | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, math.ceil(self.count / self.params.page_size))

    @property
    def has_next(self) -> bool:
        return self.params.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1
