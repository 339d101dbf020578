"""The shape of an area that people send us, as GeoJSON: the rules that need no map of the city.

An area is accepted only when every one of these holds, checked in this order (the cheap and the
structural first, so a huge or hostile value is refused before any geometry library sees it):

- it is JSON read by smartmap.lib.jsonbody (depth-limited: ``[[[[…`` twenty thousand deep is a
  refusal, not a RecursionError), and a GeoJSON object of type Polygon or MultiPolygon;
- it has no "crs" member (GeoJSON is WGS 84 by definition, and a CRS string must never reach
  GDAL/PROJ, which could open files or URLs for it);
- every ring is a list of at least four positions whose last equals its first. Open rings are
  refused, not closed for the sender: shapely would close them silently, and then the count tool
  would answer for a shape nobody drew;
- every position is finite longitude, latitude (smartmap.lib.coordinates' rule), and there are at
  most `max_vertices` of them (a query's cost grows with them);
- no edge joins points half the globe apart or more (180° of longitude or latitude): PostGIS'
  geography cannot say which way such an edge goes ("Antipodal edge detected") and the planar
  reading is another shape than the round Earth's. A whole-world polygon is refused here too;
- the shape is valid: no ring crosses itself, no hole lies outside, members do not overlap
  (PostGIS answers nonsense for invalid shapes).

Each refusal is a ValueError whose message is a sentence for a person. Where the area must lie
(mostly in Tbilisi) and how large it may be are asked of the database by places.areas.drawn_area,
the one entry point every endpoint uses; this module imports no app.
"""

import re

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from smartmap.lib.coordinates import is_number, lonlat
from smartmap.lib.jsonbody import read_json

AREA_TYPES = ("Polygon", "MultiPolygon")
MAX_VERTICES = 5000
HALF_GLOBE = 180.0  # degrees between an edge's ends, in longitude or latitude


def parse_area(value, *, max_vertices: int = MAX_VERTICES) -> GEOSGeometry:
    """A GeoJSON Polygon/MultiPolygon (a dict or its JSON text) → GEOS geometry in EPSG:4326."""
    if isinstance(value, str | bytes):
        try:
            value = read_json(value, require_object=False)
        except ValueError as exc:
            raise ValueError(_("The area is not valid JSON: %(reason)s") % {"reason": exc}) from None
    if not isinstance(value, dict):
        raise ValueError(_("The area must be a GeoJSON geometry object."))
    if "crs" in value:
        raise ValueError(_('Remove the "crs" member: GeoJSON coordinates are always longitude and latitude.'))
    kind = value.get("type")
    if kind not in AREA_TYPES:
        shown = kind[:40] if isinstance(kind, str) and kind else "—"
        raise ValueError(_("The area must be a Polygon or MultiPolygon, not %(kind)s.") % {"kind": shown})
    polygons = _polygons(value.get("coordinates"), kind, max_vertices)
    shape = shapely.MultiPolygon([shapely.Polygon(rings[0], rings[1:]) for rings in polygons])
    if kind == "Polygon":
        shape = shape.geoms[0]
    if not shape.is_valid:
        raise ValueError(
            _("The area's outline crosses itself or overlaps near %(place)s; redraw it.")
            % {"place": _where(shapely.is_valid_reason(shape))}
        )
    if shape.is_empty or shape.area == 0:
        raise ValueError(_("The area is empty."))
    return GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=4326)


def _polygons(coordinates, kind: str, max_vertices: int) -> list[list[list[tuple[float, float]]]]:
    """The polygons' rings as (lon, lat) tuples, each ring checked; ValueError at the first fault."""
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons or not all(isinstance(p, list) for p in polygons):
        raise ValueError(_("The area has no coordinates."))
    result, vertices = [], 0
    for rings in polygons:
        if not rings:
            raise ValueError(_("A polygon needs at least one ring of coordinates."))
        for ring in rings:
            vertices += len(ring) if isinstance(ring, list) else 0
            if vertices > max_vertices:
                # Counted before any position is read: a million points cost one len() each.
                raise ValueError(
                    _("The area has more than %(max)d points; draw it more simply.") % {"max": max_vertices}
                )
        result.append([_ring(ring) for ring in rings])
    return result


def _ring(ring) -> list[tuple[float, float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError(_("Each ring needs at least four positions, the last equal to the first."))
    points = [_position(p) for p in ring]
    if points[0] != points[-1]:
        raise ValueError(_("Each ring must end where it starts."))
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if abs(x1 - x0) >= HALF_GLOBE or abs(y1 - y0) >= HALF_GLOBE:
            raise ValueError(
                _("An edge of the area reaches halfway round the Earth; draw it around a place in Tbilisi.")
            )
    return points


def _position(p) -> tuple[float, float]:
    if not isinstance(p, list) or len(p) not in (2, 3) or not all(is_number(v) for v in p):
        raise ValueError(_("Every position must be [longitude, latitude] in numbers."))
    try:
        return lonlat(p[0], p[1])
    except ValueError:
        raise ValueError(_("Longitude must be within ±180 and latitude within ±90.")) from None


def _where(reason: str) -> str:
    """GEOS says "Self-intersection[44.756 41.7105]": keep only the place, as latitude, longitude."""
    match = re.search(r"\[(-?[\d.e+-]+) (-?[\d.e+-]+)\]", reason)
    if not match:
        return "?"
    try:
        return f"{float(match.group(2)):.5f}, {float(match.group(1)):.5f}"
    except ValueError:
        return "?"
