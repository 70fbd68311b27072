"""Search input: `parse_search_params(data)` turns query-string values into `SearchParams` (or raises
`SearchInputError` with messages per field), and the limits it holds them to."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from opencpf.catalogue.enums import CertificationKind, SearchSort
from opencpf.catalogue.validators import normalise_certification_code
from opencpf.places.selectors import postal_code_centre

PAGE_SIZE = 20
MAX_RESULTS = 2_000  # deeper pages are not browsable: refine the search instead
MAX_PAGE = MAX_RESULTS // PAGE_SIZE
DEFAULT_RADIUS_KM = 30
MAX_RADIUS_KM = 200
RADIUS_CHOICES = (5, 10, 20, 30, 50, 100, 200)
MAX_PRICE = Decimal("1000000")
MAX_HOURS = Decimal("100000")


class SearchInputError(Exception):
    """Bad search input; `errors` maps each field to messages for the user."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    postal_code: str = ""
    radius_km: int = DEFAULT_RADIUS_KM
    remote: bool = False
    start_after: datetime.date | None = None
    start_before: datetime.date | None = None
    max_price: Decimal | None = None
    max_hours: Decimal | None = None
    certification: str = ""  # an RNCP/RS code (upper case) or a CertificationKind value
    min_rating: Decimal | None = None
    sort: str = SearchSort.RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE

    @property
    def has_filter(self) -> bool:
        return bool(
            self.postal_code
            or self.remote
            or self.start_after
            or self.start_before
            or self.max_price is not None
            or self.max_hours is not None
            or self.certification
            or self.min_rating
        )


def _text(data: Mapping, name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _decimal(data, name, errors, *, maximum: Decimal, minimum: Decimal = Decimal(0)) -> Decimal | None:
    raw = _text(data, name).replace(",", ".").replace(" ", "").replace("\u202f", "").replace("€", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors[name] = [_("Enter a number.")]
        return None
    if not value.is_finite() or value < minimum or value > maximum:
        # Said in the reader's number format, and "more than 0" rather than an internal floor such as 0.1.
        top = formats.number_format(maximum, use_l10n=True, force_grouping=True)
        if minimum > 0:
            errors[name] = [_("Enter a number greater than 0 and at most %(max)s.") % {"max": top}]
        else:
            errors[name] = [_("Enter a number from 0 to %(max)s.") % {"max": top}]
        return None
    return value


def _date(data, name, errors) -> datetime.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "on", "yes", "oui"}


def normalise_certification(value: str) -> str | None:
    """ "rncp 37274" → "RNCP37274", "vae" → "vae"; None when it is neither a code nor a kind."""
    try:
        return normalise_certification_code(value)
    except ValidationError:
        pass
    kind = (value or "").strip().lower()
    return kind if kind in CertificationKind.values else None


def parse_search_params(data: Mapping) -> SearchParams:
    """Validate query-string values (strings, or already typed values); raise SearchInputError per field."""
    errors: dict[str, list[str]] = {}
    q = _text(data, "q")[:200]

    postal_code = _text(data, "postal_code").replace(" ", "")
    if postal_code and postal_code_centre(postal_code) is None:
        errors["postal_code"] = [_("Unknown postal code: enter the 5 digits of a French postal code.")]

    radius_km = DEFAULT_RADIUS_KM
    raw_radius = _text(data, "radius_km")
    if raw_radius:
        try:
            radius_km = int(Decimal(raw_radius.replace(",", ".")))
            if Decimal(raw_radius.replace(",", ".")) != radius_km:
                raise ValueError
        except (InvalidOperation, ValueError):
            errors["radius_km"] = [_("Enter a whole number of kilometres.")]
        else:
            if not 1 <= radius_km <= MAX_RADIUS_KM:
                errors["radius_km"] = [
                    _("Choose a radius between 1 and %(max)s km.") % {"max": MAX_RADIUS_KM},
                ]

    start_after = _date(data, "start_after", errors)
    start_before = _date(data, "start_before", errors)
    if start_after and start_before and start_after > start_before:
        errors["start_before"] = [_("The end of the period must not be before its start.")]

    max_price = _decimal(data, "max_price", errors, maximum=MAX_PRICE)
    max_hours = _decimal(data, "max_hours", errors, maximum=MAX_HOURS, minimum=Decimal("0.1"))
    min_rating = _decimal(data, "min_rating", errors, maximum=Decimal(5))

    certification = ""
    raw_certification = _text(data, "certification")
    if raw_certification:
        certification = normalise_certification(raw_certification) or ""
        if not certification:
            errors["certification"] = [_("Enter an RNCP or RS code, for example RNCP37274.")]

    sort = _text(data, "sort") or SearchSort.RELEVANCE
    if sort not in SearchSort.values:
        errors["sort"] = [_("Choose a sort order from the list.")]
    elif sort == SearchSort.DISTANCE and not postal_code:
        errors["sort"] = [_("Give a postal code to sort by distance.")]

    page = 1
    raw_page = _text(data, "page")
    if raw_page:
        try:
            page = int(raw_page)
        except ValueError:
            errors["page"] = [_("Enter a page number.")]
        else:
            if page < 1:
                errors["page"] = [_("Pages start at 1.")]
            elif page > MAX_PAGE:
                errors["page"] = [
                    _("Only the first %(count)s results can be browsed: refine your search.") % {"count": MAX_RESULTS}
                ]

    if errors:
        raise SearchInputError(errors)
    params = SearchParams(
        q=q,
        postal_code=postal_code,
        radius_km=radius_km,
        remote=_bool(data.get("remote")),
        start_after=start_after,
        start_before=start_before,
        max_price=max_price,
        max_hours=max_hours,
        certification=certification,
        min_rating=min_rating or None,
        sort=sort,
        page=page,
    )
    if not params.q and not params.has_filter:
        raise SearchInputError({"q": [_("Enter keywords or choose at least one filter.")]})
    return params
