"""The share picture of a place, drawn once per geometry and kept as a file under MEDIA_ROOT.

``ensure(geom, district)`` answers the picture's media address, ``share/<ab>/<hash>.png``, where the
hash covers the drawing's version, the place's geometry and its district: the same place always
has the same address (social networks cache by address), and a moved place or a redrawn district
gets a new one, so the old picture is simply no longer linked. Drawing (smartmap.lib.placeimage,
~0.1-0.3 s) happens only when the file is missing; every later page view is one stat() call.

Files are written to a temporary name and renamed into place, so two first views at once both
succeed and a reader never sees half a PNG. The outlines are simplified in SQL to about 10 m, less
than a pixel at the scale of a district.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import shapely
from django.conf import settings
from django.db import connection

from places.models import CityBoundary, District
from smartmap.lib import placeimage

FOLDER = "share"
SIMPLIFY_DEGREES = 0.0001  # ≈ 10 m


def key(geom, district) -> str:
    # A district's area stands in for its outline (hashing 100 kB of boundary on every page view
    # would cost more than it saves): a re-import that moves the outline changes the area too.
    outline = f"{district.pk}:{district.area_km2:.6f}" if district is not None else "-"
    digest = hashlib.sha256(f"{placeimage.VERSION}:{outline}:".encode())
    digest.update(bytes(geom.ewkb))
    return digest.hexdigest()[:32]


def district_of(geom):
    return District.objects.for_point(geom if geom.geom_type == "Point" else geom.point_on_surface)


def ensure(geom, district=None) -> str:
    """The picture's URL path (MEDIA_URL…), drawing it first if it is not there yet."""
    name = key(geom, district)
    relative = f"{FOLDER}/{name[:2]}/{name}.png"
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.exists():
        _write(path, draw(geom, district))
    return settings.MEDIA_URL + relative


def draw(geom, district=None) -> bytes:
    shapes = outlines()
    return placeimage.draw(
        placeimage.Scene(
            city=shapes.get("city"),
            districts=[g for k, g in shapes.items() if k != "city"],
            district=shapes.get(district.pk) if district is not None else None,
            place=shapely.from_wkb(bytes(geom.wkb)),
        )
    )


def outlines() -> dict:
    """{district id: shape, "city": shape}, simplified in SQL."""
    # Raw SQL: ST_SimplifyPreserveTopology in the database sends ~1/20 of the city's 36,000 vertices.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT id::text, ST_AsBinary(ST_SimplifyPreserveTopology(geom, %(t)s)) FROM {District._meta.db_table}
            UNION ALL
            SELECT 'city', ST_AsBinary(ST_SimplifyPreserveTopology(geom, %(t)s)) FROM {CityBoundary._meta.db_table}""",
            {"t": SIMPLIFY_DEGREES},
        )
        rows = cursor.fetchall()
    return {(k if k == "city" else int(k)): shapely.from_wkb(bytes(wkb)) for k, wkb in rows}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)  # atomic: a reader sees no file or the whole picture
