import gzip

import pytest

from opencpf.places.selectors import (
    DATA_FILE,
    commune_key,
    haversine_km,
    place_for,
    places,
    places_around,
    places_for_postal_code,
    postal_code_centre,
)


def test_postal_code_gives_its_communes_with_coordinates():
    paris_11 = places_for_postal_code("75011")
    assert [place.name for place in paris_11] == ["Paris 11e Arrondissement"]
    assert paris_11[0].insee == "75111"
    assert 48.8 < paris_11[0].latitude < 48.9 and 2.3 < paris_11[0].longitude < 2.4


def test_a_postal_code_shared_by_several_communes_lists_the_most_populated_first():
    communes = places_for_postal_code("01400")
    assert len(communes) > 1
    assert communes[0].population == max(place.population for place in communes)
    assert postal_code_centre("01400") == communes[0]


def test_unknown_postal_codes_give_nothing():
    assert places_for_postal_code("99999") == []
    assert places_for_postal_code("") == []
    assert postal_code_centre("7501") is None


@pytest.mark.parametrize(
    ("postal_code", "typed", "expected"),
    [
        ("42000", "saint-etienne", "Saint-Étienne"),
        ("42000", "ST ETIENNE", "Saint-Étienne"),
        ("69003", "Lyon 3e arrondissement", "Lyon 3e Arrondissement"),
        ("69003", "", "Lyon 3e Arrondissement"),
    ],
)
def test_city_names_are_matched_without_accents_or_case(postal_code, typed, expected):
    assert place_for(postal_code, typed).name == expected


def test_city_not_served_by_the_postal_code_is_refused():
    assert place_for("75011", "Marseille") is None


def test_distances():
    paris = postal_code_centre("75001")
    lyon = postal_code_centre("69001")
    assert haversine_km(paris.latitude, paris.longitude, lyon.latitude, lyon.longitude) == pytest.approx(392, abs=5)
    assert haversine_km(paris.latitude, paris.longitude, paris.latitude, paris.longitude) == 0


def test_places_around_a_point_nearest_first():
    lyon = postal_code_centre("69001")
    around = places_around(lyon.latitude, lyon.longitude, 10)
    names = [place.name for place, _distance in around]
    assert "Villeurbanne" in names
    assert not any(name.startswith("Paris") for name in names)
    distances = [distance for _place, distance in around]
    assert distances == sorted(distances) and distances[-1] <= 10


def test_commune_keys_are_distinct_for_corsica():
    assert commune_key("75111") == 75111
    assert commune_key("2A004") != commune_key("2B004")
    assert len({place.key for place in places().all}) == len({place.insee for place in places().all})


def test_the_data_file_is_small_and_covers_france_and_overseas():
    assert DATA_FILE.stat().st_size < 3_000_000
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        assert handle.readline().startswith("postal_code;insee;name;latitude;longitude")
    everything = places().all
    assert len(everything) > 35_000
    assert all(-90 <= place.latitude <= 90 and -180 <= place.longitude <= 180 for place in everything)
    assert places_for_postal_code("97400")[0].name == "Saint-Denis"  # La Réunion
    assert places_for_postal_code("20000")[0].name == "Ajaccio"
