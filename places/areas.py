"""An area someone draws on the map: one rule for every endpoint that takes one.

The count tool (``POST /api/v1/layers/<slug>/count/``), area subscriptions and their preview (API
and the subscribe page), a statistics question's drawn territory, a forum thread's place and the
forum's list by area all read a drawn area through drawn_area(), so an area one of them takes
the others take too, and each refusal reads the same. The rule, in order:

1. its shape (smartmap.lib.geometry.parse_area): a GeoJSON Polygon or MultiPolygon, no "crs",
   closed rings, finite longitude/latitude, at most `max_vertices` points (the endpoint's limit:
   5,000 in a body, 500 where the area travels in a URL or a form), no edge halfway round the
   Earth (antipodal, whole world), no self-intersection;
2. its place: at least INSIDE_SHARE (90 %) of it lies in Tbilisi, asked of the city outline
   (CityBoundary.objects.share_covered). A shape mostly elsewhere is a mistake, and the city is
   all the portal knows;
3. its size, only where the endpoint has a limit (a subscription: 100 m² to 100 km², where a
   larger area is "all of Tbilisi", a choice of its own), measured on the spheroid, never as
   degrees. It runs last, so the geography cast only ever sees a valid shape in the city.

Every refusal is an AreaError with a sentence in the request's language; the endpoint reports it
under the name of its own field (``area``, ``place``) in its own error shape.
"""

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils.translation import gettext as _

from places.models import CityBoundary
from smartmap.lib.geometry import MAX_VERTICES, parse_area

INSIDE_SHARE = 0.9
URL_VERTICES = 500  # an area in a query string or a form field


class AreaError(ValueError):
    pass


@dataclass(frozen=True)
class SizeLimit:
    min_m2: float
    max_km2: float


def drawn_area(value, *, max_vertices: int = MAX_VERTICES, size: SizeLimit | None = None) -> GEOSGeometry:
    """A drawn area (GeoJSON dict or its JSON text) → GEOS geometry in EPSG:4326, or AreaError."""
    try:
        geom = parse_area(value, max_vertices=max_vertices)
    except ValueError as exc:
        raise AreaError(str(exc)) from None
    if CityBoundary.objects.share_covered(geom) < INSIDE_SHARE:
        raise AreaError(
            _("At least %(share)d%% of the area must lie inside Tbilisi.") % {"share": round(INSIDE_SHARE * 100)}
        )
    if size is not None:
        check_size(geom, size)
    return geom


def check_size(geom: GEOSGeometry, size: SizeLimit) -> None:
    with connection.cursor() as cursor:
        # The area on the spheroid: 4326 degrees are not metres.
        cursor.execute("SELECT ST_Area(ST_GeomFromEWKB(%s)::geography)", [bytes(geom.ewkb)])
        (area_m2,) = cursor.fetchone()
    if area_m2 < size.min_m2:
        raise AreaError(
            _("The area is too small (under %(min)d m²); draw around at least a building.") % {"min": size.min_m2}
        )
    if area_m2 > size.max_km2 * 1e6:
        raise AreaError(
            _("The area is larger than %(max)d km²; choose a district or all of Tbilisi instead.")
            % {"max": size.max_km2}
        )
