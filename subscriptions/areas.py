"""Checking the area a resident draws before anything is stored.

Accepted: a GeoJSON Polygon or MultiPolygon in longitude/latitude (no "crs" member: GeoJSON is
EPSG:4326 by definition), valid (no self-intersections), at most MAX_VERTICES vertices, mostly
inside Tbilisi, at least MIN_AREA_M2 and at most MAX_AREA_KM2 (a larger area is "all of
Tbilisi", a choice of its own). A circle is a point inside the city and a radius within
bounds. Every refusal is an AreaError whose message a person can act on.
"""

import re

import shapely
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection
from django.utils.translation import gettext as _

from places.models import CityBoundary
from smartmap.lib.coordinates import is_number, lonlat

MAX_VERTICES = 5000
MIN_AREA_M2 = 100
MAX_AREA_KM2 = 100
MIN_RADIUS_M, MAX_RADIUS_M = 50, 5000
INSIDE_SHARE = 0.9


class AreaError(ValueError):
    pass


def polygon_from_geojson(obj) -> GEOSGeometry:
    if not isinstance(obj, dict):
        raise AreaError(_("The area must be a GeoJSON geometry object."))
    if "crs" in obj:
        raise AreaError(_('Remove the "crs" member: GeoJSON coordinates are always longitude and latitude.'))
    kind = obj.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise AreaError(_("The area must be a Polygon or MultiPolygon, not %(kind)s.") % {"kind": kind or "—"})
    polygons = obj.get("coordinates")
    polygons = [polygons] if kind == "Polygon" else polygons
    if not isinstance(polygons, list) or not polygons:
        raise AreaError(_("The area has no coordinates."))
    shapes, vertices = [], 0
    for rings in polygons:
        rings = _rings(rings)
        vertices += sum(len(r) for r in rings)
        if vertices > MAX_VERTICES:
            raise AreaError(_("The area has more than %(max)d points; draw it more simply.") % {"max": MAX_VERTICES})
        shapes.append(shapely.Polygon(rings[0], rings[1:]))
    geom = shapely.MultiPolygon(shapes)
    if not geom.is_valid:
        raise AreaError(
            _("The area's outline crosses itself or overlaps near %(place)s; redraw it.")
            % {"place": _where(shapely.is_valid_reason(geom))}
        )
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=4326)


def _where(reason: str) -> str:
    """GEOS says "Self-intersection[44.756 41.7105]": keep only the place, as latitude, longitude."""
    match = re.search(r"\[(-?[\d.]+) (-?[\d.]+)\]", reason)
    return f"{float(match.group(2)):.5f}, {float(match.group(1)):.5f}" if match else "?"


def _rings(rings) -> list:
    if not isinstance(rings, list) or not rings:
        raise AreaError(_("A polygon needs at least one ring of coordinates."))
    result = []
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise AreaError(_("Each ring needs at least four positions, the last equal to the first."))
        points = [_position(p) for p in ring]
        if points[0] != points[-1]:
            raise AreaError(_("Each ring must end where it starts."))
        result.append(points)
    return result


def _position(p) -> tuple[float, float]:
    if not isinstance(p, list | tuple) or len(p) not in (2, 3) or not all(is_number(v) for v in p):
        raise AreaError(_("Every position must be [longitude, latitude] in numbers."))
    try:
        return lonlat(p[0], p[1])
    except ValueError:
        raise AreaError(_("Longitude must be within ±180 and latitude within ±90.")) from None


def check_area(geom: GEOSGeometry) -> None:
    """Size and place checks, measured on the spheroid (never degrees as metres)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(ST_GeomFromEWKB(%s)::geography)", [bytes(geom.ewkb)])
        (area_m2,) = cursor.fetchone()
    if area_m2 < MIN_AREA_M2:
        raise AreaError(
            _("The area is too small (under %(min)d m²); draw around at least a building.") % {"min": MIN_AREA_M2}
        )
    if area_m2 > MAX_AREA_KM2 * 1e6:
        raise AreaError(
            _("The area is larger than %(max)d km²; choose a district or all of Tbilisi instead.")
            % {"max": MAX_AREA_KM2}
        )
    if CityBoundary.objects.share_covered(geom) < INSIDE_SHARE:
        raise AreaError(_("The area must lie inside Tbilisi."))


def circle(lon, lat, radius_m) -> tuple[Point, GEOSGeometry]:
    try:
        lon, lat = lonlat(lon, lat)
    except ValueError:
        raise AreaError(_("The point must be [longitude, latitude] in numbers.")) from None
    if not is_number(radius_m) or not (MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M):
        raise AreaError(
            _("The radius must be between %(min)d and %(max)d metres.") % {"min": MIN_RADIUS_M, "max": MAX_RADIUS_M}
        )
    center = Point(lon, lat, srid=4326)
    if not CityBoundary.objects.covers(center):
        raise AreaError(_("The point must lie inside Tbilisi."))
    with connection.cursor() as cursor:
        # A true circle on the ground: buffered in metres on the spheroid, then back to 4326.
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_Buffer(ST_GeomFromEWKB(%s)::geography, %s, 'quad_segs=16')::geometry))",
            [bytes(center.ewkb), float(radius_m)],
        )
        geom = GEOSGeometry(memoryview(cursor.fetchone()[0]))
    geom.srid = 4326
    return center, geom
