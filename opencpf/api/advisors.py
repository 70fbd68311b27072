"""Career advisors (DESIGN §4.4): `GET /advisors` finds the network that serves a situation and its sites, nearest
first."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Query, Router, Schema

from opencpf.accounts.enums import HolderStatus
from opencpf.advisors import rules, selectors
from opencpf.advisors.enums import Network
from opencpf.api.errors import ApiError
from opencpf.places.selectors import postal_code_centre

router = Router(tags=["Advisors"])
MAX_AGE = 130


class Errors(Schema):
    errors: dict[str, list[str]]


class AdvisorsIn(Schema):
    postal_code: str | None = None
    status: str | None = None
    age: int | None = None
    disabled_worker: bool = False
    manager: bool = False
    country: str | None = None


class SiteOut(Schema):
    id: int
    name: str
    network: str
    address: str
    postal_code: str
    city: str
    distance_km: float | None
    phone: str
    opening_hours: str
    accessibility: str
    remote_only: bool


class AdvisorsOut(Schema):
    network: str
    explanation: str
    results: list[SiteOut]


@router.get(
    "/advisors",
    response={200: AdvisorsOut, 400: Errors},
    auth=None,
    summary="Find a career advisor (CEP) near a place",
    description=(
        "`status` (employee, self_employed, job_seeker; default employee), `age` (years), `disabled_worker`, "
        "`manager` choose the network, explained in one sentence: outside France (`country`, ISO 3166 alpha-2, "
        "default FR) the network for French people abroad; then a disabled worker → cap_emploi; 25 or younger (a "
        "dated parameter) → mission_locale; a job seeker → france_travail; a manager → apec; anyone else → "
        "regional_operator. `results`: that network's open sites, nearest to `postal_code` first (required in "
        "France), at most 10; `distance_km` is null for remote services."
    ),
)
def find_advisors(request, filters: Query[AdvisorsIn]):
    errors: dict[str, list[str]] = {}
    country = (filters.country or "FR").strip().upper()
    if country not in countries:
        errors["country"] = [_("Enter a country as a 2-letter ISO code, e.g. FR.")]
    abroad = country != "FR"
    postal_code = (filters.postal_code or "").strip()
    centre = None
    if postal_code and not abroad:
        if not re.fullmatch(r"\d{5}", postal_code):
            errors["postal_code"] = [_("Enter a French postal code of 5 digits.")]
        elif (centre := postal_code_centre(postal_code)) is None:
            errors["postal_code"] = [_("Unknown postal code.")]
    elif not abroad:
        errors["postal_code"] = [_("This field is required.")]
    status = filters.status or HolderStatus.EMPLOYEE
    if status not in HolderStatus.values:
        errors["status"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(HolderStatus.values)}]
    if filters.age is not None and not 0 <= filters.age <= MAX_AGE:
        errors["age"] = [_("Enter an age between 0 and %(max)s.") % {"max": MAX_AGE}]
    if errors:
        raise ApiError(400, errors)
    situation = rules.Situation(
        status=status,
        age=filters.age,
        disabled_worker=filters.disabled_worker,
        manager=filters.manager,
        abroad=abroad,
    )
    choice = selectors.choose_network(situation, timezone.localdate())
    remote = choice.network == Network.ABROAD or centre is None
    hits = selectors.sites_near(
        choice.network,
        latitude=None if remote else centre.latitude,
        longitude=None if remote else centre.longitude,
    )
    return {
        "network": choice.network.value,
        "explanation": choice.explanation,
        "results": [
            {
                "id": hit.site.pk,
                "name": hit.site.name,
                "network": hit.network,
                "address": hit.site.address,
                "postal_code": hit.site.postal_code,
                "city": hit.site.city,
                "distance_km": hit.distance_km,
                "phone": hit.site.phone,
                "opening_hours": hit.site.opening_hours,
                "accessibility": hit.site.accessibility,
                "remote_only": hit.site.remote_only,
            }
            for hit in hits
        ],
    }
