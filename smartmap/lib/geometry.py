"""Validating geometries that people send us: an area drawn on the map, as GeoJSON.

Every incoming geometry is checked the same way before it reaches a query: the type is an area
(Polygon or MultiPolygon), there is no "crs" member (GeoJSON is WGS 84 by definition, and a CRS
string must never reach GDAL/PROJ, which could open files or URLs for it), the coordinates are
finite longitudes and latitudes (smartmap.lib.coordinates' rule), there are at most `max_vertices`
of them (a query's cost grows with them) and the shape is valid (no self-intersections: PostGIS
answers nonsense for those). Each failure raises ValueError with a sentence for a person.

Whether the area is in Tbilisi is asked of the city outline, in the database, by the caller:
places.models.CityBoundary.objects.touches() or share_covered(). This module imports no app.
"""

import json

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from smartmap.lib.coordinates import check_positions

AREA_TYPES = ("Polygon", "MultiPolygon")
MAX_VERTICES = 5000


def parse_area(value, *, max_vertices: int = MAX_VERTICES) -> GEOSGeometry:
    """A GeoJSON Polygon/MultiPolygon (a dict or its JSON text) → GEOS geometry in EPSG:4326."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError(_("the area is not valid JSON")) from None
    if not isinstance(value, dict):
        raise ValueError(_("the area must be a GeoJSON Polygon or MultiPolygon object"))
    if "crs" in value:
        raise ValueError(_("the area must not have a “crs” member: GeoJSON coordinates are WGS 84 longitude, latitude"))
    if value.get("type") not in AREA_TYPES:
        raise ValueError(_("the area must be a Polygon or a MultiPolygon"))
    _check_coordinates(value.get("coordinates"), value["type"], max_vertices)
    try:
        shape = shapely.force_2d(shapely.geometry.shape(value))
    except (ValueError, TypeError, IndexError, shapely.errors.ShapelyError):
        raise ValueError(_("the area's coordinates do not make a polygon")) from None
    if shape.is_empty:
        raise ValueError(_("the area is empty"))
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        raise ValueError(_("the area is not a valid polygon (%(reason)s)") % {"reason": reason})
    return GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=4326)


def _check_coordinates(coordinates, kind: str, max_vertices: int) -> None:
    """Shape and count of the nested lists, before any parser sees them (a huge list is refused cheaply)."""
    depth = 3 if kind == "Polygon" else 4
    positions = list(_positions(coordinates, depth))
    if not positions:
        raise ValueError(_("the area has no coordinates"))
    if len(positions) > max_vertices:
        raise ValueError(
            _("the area has %(count)d vertices; at most %(max)d are allowed")
            % {"count": len(positions), "max": max_vertices}
        )
    check_positions(positions)


def _positions(value, depth: int):
    """The positions of a nested coordinate list `depth` levels deep; ValueError when it is not one."""
    if depth == 1:
        yield value
        return
    if not isinstance(value, list):
        raise ValueError(_("the area's coordinates do not make a polygon"))
    for item in value:
        yield from _positions(item, depth - 1)

