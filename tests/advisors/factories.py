import datetime
import itertools

from django.utils import timezone

from opencpf.accounts.enums import Role
from opencpf.advisors.enums import AppointmentMode, AppointmentSubject, HalfDay, Network, SiteStatus
from opencpf.advisors.models import AdvisorMembership, AdvisorSite, AdvisorSiteNetwork
from opencpf.places.selectors import place_for
from tests.accounts.factories import HolderFactory, UserFactory

_codes = itertools.count(1)


def make_site(
    postal_code: str = "75011",
    city: str = "",
    *,
    networks=(Network.REGIONAL_OPERATOR,),
    status=SiteStatus.OPEN,
    remote_only: bool = False,
    name: str = "",
) -> AdvisorSite:
    """A site placed at its commune's centre (the real places data)."""
    place = place_for(postal_code, city)
    assert place is not None, postal_code
    code = f"TEST-{next(_codes)}"
    site = AdvisorSite.objects.create(
        code=code,
        name=name or f"Site {code} {place.name}",
        address="1 rue de l'Exemple",
        postal_code=postal_code,
        city=place.name,
        latitude=place.latitude,
        longitude=place.longitude,
        phone="01 99 00 00 00",
        opening_hours="Mon-Fri 9:00-17:00",
        status=status,
        remote_only=remote_only,
    )
    AdvisorSiteNetwork.objects.bulk_create([AdvisorSiteNetwork(site=site, network=n) for n in networks])
    return site


def make_advisor(site: AdvisorSite, **kwargs):
    user = UserFactory(role=Role.ADVISOR, display_name="Advisor", **kwargs)
    AdvisorMembership.objects.create(user=user, site=site)
    return user


def make_holder(**kwargs):
    return HolderFactory(**kwargs)


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def request_kwargs(**overrides) -> dict:
    values = {
        "subject": AppointmentSubject.TRAINING,
        "mode": AppointmentMode.IN_PERSON,
        "slots": [(in_days(3), HalfDay.MORNING), (in_days(4), HalfDay.AFTERNOON)],
        "message": "Je voudrais changer de métier.",
    }
    values.update(overrides)
    return values
