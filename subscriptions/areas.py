"""The area of a subscription: a drawn polygon or a circle, checked before anything is stored.

A drawn polygon is held to the one rule for drawn areas (places.areas.drawn_area: shape, at most
MAX_VERTICES vertices, mostly inside Tbilisi) with the subscription's own size limit: at least
MIN_AREA_M2 and at most MAX_AREA_KM2 (a larger area is "all of Tbilisi", a choice of its own). It
is stored as a MultiPolygon. A circle is a point inside the city and a radius within bounds.
Every refusal is an AreaError whose message a person can act on.
"""

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db import connection
from django.utils.translation import gettext as _

from places.areas import AreaError, SizeLimit, drawn_area
from places.models import CityBoundary
from smartmap.lib.coordinates import is_number, lonlat

__all__ = ["AreaError", "circle", "polygon_from_geojson"]

MAX_VERTICES = 5000
MIN_AREA_M2 = 100
MAX_AREA_KM2 = 100
MIN_RADIUS_M, MAX_RADIUS_M = 50, 5000
SIZE = SizeLimit(min_m2=MIN_AREA_M2, max_km2=MAX_AREA_KM2)


def polygon_from_geojson(obj) -> GEOSGeometry:
    """A drawn subscription area, checked by the one rule with the subscription's size limit."""
    geom = drawn_area(obj, max_vertices=MAX_VERTICES, size=SIZE)
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=4326)
    return geom


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
