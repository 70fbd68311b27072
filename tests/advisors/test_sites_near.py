"""Sites are found nearest first with the real places data (communes' coordinates), only open ones of the network
that serves the situation; overseas postal codes find overseas sites."""

import pytest

from opencpf.advisors.enums import Network, SiteStatus
from opencpf.advisors.selectors import sites_near
from opencpf.places.selectors import postal_code_centre
from tests.advisors.factories import make_site

pytestmark = pytest.mark.django_db


def names_near(postal_code: str, network=Network.FRANCE_TRAVAIL) -> list[str]:
    centre = postal_code_centre(postal_code)
    return [hit.site.name for hit in sites_near(network, latitude=centre.latitude, longitude=centre.longitude)]


@pytest.fixture
def sites():
    ft = (Network.FRANCE_TRAVAIL,)
    return {
        "lyon": make_site("69003", networks=ft, name="Lyon"),
        "paris15": make_site("75015", networks=ft, name="Paris 15"),
        "paris11": make_site("75011", networks=ft, name="Paris 11"),
        "boulogne": make_site("92100", networks=ft, name="Boulogne"),
        "reunion": make_site("97400", networks=ft, name="Saint-Denis (La Réunion)"),
        "closed": make_site("75012", networks=ft, name="Paris 12 closed", status=SiteStatus.CLOSED),
        "other_network": make_site("75012", networks=(Network.APEC,), name="Apec Paris 12"),
    }


def test_nearest_first(sites):
    assert names_near("75012") == ["Paris 11", "Paris 15", "Boulogne"]  # Lyon and La Réunion are too far
    assert names_near("92100") == ["Boulogne", "Paris 15", "Paris 11"]
    assert names_near("69007") == ["Lyon"]


def test_far_from_every_site_the_nearest_few_still_show(sites):
    assert names_near("29200") == ["Boulogne", "Paris 15", "Paris 11"]  # Brest: 500 km from Paris


def test_overseas_postal_codes_find_overseas_sites_first(sites):
    assert names_near("97410")[0] == "Saint-Denis (La Réunion)"  # Saint-Pierre, La Réunion


def test_distances_are_real_kilometres(sites):
    centre = postal_code_centre("69003")
    hits = sites_near(Network.FRANCE_TRAVAIL, latitude=centre.latitude, longitude=centre.longitude)
    assert [hit.distance_km for hit in hits] == [0.0]
    centre = postal_code_centre("92100")
    hits = sites_near(Network.FRANCE_TRAVAIL, latitude=centre.latitude, longitude=centre.longitude)
    assert 9 < hits[2].distance_km < 12  # Boulogne-Billancourt – Paris 11e as the crow flies


def test_closed_sites_and_other_networks_are_left_out(sites):
    assert "Paris 12 closed" not in names_near("75012")
    assert names_near("75012", Network.APEC) == ["Apec Paris 12"]


def test_remote_services_without_a_point_come_by_name(sites):
    make_site("75007", networks=(Network.ABROAD,), remote_only=True, name="B remote")
    make_site("75007", networks=(Network.ABROAD,), remote_only=True, name="A remote")
    hits = sites_near(Network.ABROAD, latitude=None, longitude=None)
    assert [hit.site.name for hit in hits] == ["A remote", "B remote"]
    assert all(hit.distance_km is None for hit in hits)
