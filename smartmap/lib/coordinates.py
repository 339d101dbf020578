"""Coordinates that people and files send us: one home for every longitude/latitude check.

Everything inside the project is WGS 84 longitude, latitude (EPSG:4326), in that order. A position
is two finite numbers (never a boolean, never NaN or infinity) with the longitude within ±180 and the
latitude within ±90; `lonlat()` is that rule, and every parser here and in the apps goes through
it. A box is "minlon,minlat,maxlon,maxlat", minimum below maximum, no larger than MAX_BBOX_AREA
square degrees (Tbilisi fits in about 0.2: a larger box is a mistake or a scraper). Each refusal is
a ValueError whose message is a sentence fragment a person understands, in the request's language,
for the caller to put after the parameter's name.

Whether a place is in Tbilisi is a question for the database (the city outline): that lives on
places.models.CityBoundary.objects (covers, touches, share_covered), which this module, being
framework-free, does not import. TBILISI_EXTENT is only the rough envelope, for telling at a glance
that a whole file is somewhere else.
"""

import math

from django.utils.translation import gettext as _

MAX_BBOX_AREA = 1.0  # square degrees
# The city with room to spare (minlon, minlat, maxlon, maxlat): anything outside is another place.
TBILISI_EXTENT = (44.4, 41.4, 45.3, 42.0)


def is_number(value) -> bool:
    """A finite int or float; True and False are not numbers here, whatever Python thinks."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def lonlat(lon, lat) -> tuple[float, float]:
    """The one position rule: two finite numbers, longitude within ±180, latitude within ±90."""
    if not (is_number(lon) and is_number(lat)):
        raise ValueError(_("expected two numbers: longitude,latitude"))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(_("longitude must be within ±180 and latitude within ±90"))
    return float(lon), float(lat)


def parse_lonlat(raw: str) -> tuple[float, float]:
    """ "44.80,41.70" → (44.8, 41.7)."""
    parts = str(raw).split(",")
    if len(parts) != 2:
        raise ValueError(_("expected longitude,latitude, for example 44.80,41.70"))
    return lonlat(*_numbers(parts, _("expected two numbers: longitude,latitude")))


def parse_lonlat_pair(lon: str, lat: str) -> tuple[float, float]:
    """Longitude and latitude sent as two parameters (lon=…&lat=…)."""
    return lonlat(*_numbers([lon, lat], _("expected two numbers: longitude,latitude")))


def parse_bbox(raw: str, max_area: float = MAX_BBOX_AREA) -> tuple[float, float, float, float]:
    """ "minlon,minlat,maxlon,maxlat" → four floats, checked (see the module's docstring)."""
    parts = str(raw).split(",")
    if len(parts) != 4:
        raise ValueError(_("expected four numbers: min longitude,min latitude,max longitude,max latitude"))
    minx, miny, maxx, maxy = _numbers(parts, _("expected four numbers, for example 44.78,41.69,44.81,41.71"))
    lonlat(minx, miny)
    lonlat(maxx, maxy)
    if not (minx < maxx and miny < maxy):
        raise ValueError(_("the minimum must be less than the maximum for both longitude and latitude"))
    if (maxx - minx) * (maxy - miny) > max_area:
        raise ValueError(_("the box is too large: zoom in (at most %(max)s square degrees)") % {"max": max_area})
    return minx, miny, maxx, maxy


def check_positions(positions) -> None:
    """Each GeoJSON position: a list [longitude, latitude] or [longitude, latitude, height]."""
    for position in positions:
        if not (isinstance(position, list | tuple) and len(position) in (2, 3)):
            raise ValueError(_("each position must be [longitude, latitude]"))
        lonlat(position[0], position[1])


def within_extent(minx, miny, maxx, maxy) -> bool:
    """Does this envelope reach the rough envelope of Tbilisi at all?"""
    west, south, east, north = TBILISI_EXTENT
    return minx <= east and maxx >= west and miny <= north and maxy >= south


def _numbers(parts, message) -> list[float]:
    """Plain ASCII decimal numbers only: float() would also take "٣" or "Ⅻ" and read a number into them."""
    if not all(isinstance(p, str) and p.strip().isascii() for p in parts):
        raise ValueError(message)
    try:
        values = [float(p) for p in parts]
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(message)
    return values
