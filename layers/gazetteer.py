"""The offline gazetteer: what the map's search finds without any outside geocoder.

Three ways in: a demo set of real Tbilisi streets and places (approximate points, marked demo),
any CSV of the same shape (`manage.py load_gazetteer FILE --source NAME`), and the import core,
which files every imported item's address under its point. Names are matched in Georgian,
English and Latin transliteration (GazetteerEntry.search_text, trigram-indexed).
"""

import csv
from pathlib import Path

import shapely
from django.contrib.gis.geos import Point
from django.db import transaction

from layers.models import GazetteerEntry
from places.index import DistrictIndex
from smartmap.lib.translit import search_form

DEMO_FILE = Path(__file__).parent / "data" / "gazetteer_demo.csv"
REQUIRED = {"kind", "name_ka", "lon", "lat"}


class GazetteerFileError(ValueError):
    pass


def read_places(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = REQUIRED - set(reader.fieldnames or [])
        if missing:
            raise GazetteerFileError(f"{Path(path).name} has no column(s) {', '.join(sorted(missing))}")
        rows = []
        for number, row in enumerate(reader, start=2):
            try:
                lon, lat = float(row["lon"]), float(row["lat"])
            except ValueError:
                raise GazetteerFileError(f"row {number}: lon/lat are not numbers") from None
            if row["kind"] not in GazetteerEntry.Kind.values:
                raise GazetteerFileError(f"row {number}: unknown kind {row['kind']!r}")
            rows.append({**row, "lon": lon, "lat": lat})
    return rows


@transaction.atomic
def load_places(rows: list[dict], *, source: str, is_demo: bool) -> dict:
    index = DistrictIndex()
    points = [shapely.Point(r["lon"], r["lat"]) for r in rows]
    inside = index.inside_city(points)
    districts = index.district_ids(points)
    counts = {"created": 0, "updated": 0, "outside": 0}
    for row, ok, district_id in zip(rows, inside, districts, strict=True):
        if not ok:
            counts["outside"] += 1
            continue
        entry, created = GazetteerEntry.objects.get_or_create(
            kind=row["kind"],
            name_ka=row["name_ka"].strip(),
            source=source,
            defaults={"geom": Point(row["lon"], row["lat"], srid=4326), "is_demo": is_demo},
        )
        entry.name_en = (row.get("name_en") or "").strip()
        entry.geom = Point(row["lon"], row["lat"], srid=4326)
        entry.district_id = district_id
        entry.is_demo = is_demo
        entry.save()
        counts["created" if created else "updated"] += 1
    return counts


def file_addresses(items, *, source: str, is_demo: bool):
    """Add imported items' addresses to the gazetteer (new addresses only; first point wins)."""
    rows = {}
    for item in items:
        address = (item.address or "").strip()
        if address and address not in rows:
            rows[address] = item
    if not rows:
        return 0
    known = set(
        GazetteerEntry.objects.filter(
            kind=GazetteerEntry.Kind.ADDRESS, source=source, name_ka__in=list(rows)
        ).values_list("name_ka", flat=True)
    )
    new = []
    for address, item in rows.items():
        if address in known:
            continue
        entry = GazetteerEntry(
            kind=GazetteerEntry.Kind.ADDRESS,
            name_ka=address,
            geom=item.point,
            district_id=item.district_id,
            source=source,
            is_demo=is_demo,
        )
        entry.search_text = search_form(address)  # bulk_create skips save(), which sets it otherwise
        new.append(entry)
    GazetteerEntry.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def nearest_street(point, within_m: float = 300):
    """The street entry of the gazetteer nearest to `point` (EPSG:4326), at most `within_m` metres
    away, or None. Distances in metres on the geography; no outside reverse geocoder is asked."""
    if point is None:
        return None
    return (
        GazetteerEntry.objects.filter(kind=GazetteerEntry.Kind.STREET)
        .extra(
            where=["ST_DWithin(geom::geography, ST_GeomFromEWKT(%s)::geography, %s)"],
            params=[point.ewkt, within_m],
            select={"distance_m": "ST_Distance(geom::geography, ST_GeomFromEWKT(%s)::geography)"},
            select_params=[point.ewkt],
        )
        .order_by("distance_m", "id")
        .first()
    )
