"""Parsers for query-string values; each raises ValueError with a sentence a person understands."""

import math

from django.utils.translation import gettext as _


def parse_lonlat(raw: str) -> tuple[float, float]:
    parts = raw.split(",")
    if len(parts) != 2:
        raise ValueError(_("expected longitude,latitude, for example 44.80,41.70"))
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(_("expected two numbers: longitude,latitude")) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(_("longitude must be within ±180 and latitude within ±90"))
    return lon, lat


MAX_BBOX_DEGREES = 2.0  # Tbilisi is about 0.6° across: a larger box is a mistake or a scraper


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """minlon,minlat,maxlon,maxlat, in range, min below max, no larger than MAX_BBOX_DEGREES."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValueError(_("expected minlon,minlat,maxlon,maxlat, for example 44.75,41.69,44.82,41.73"))
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        raise ValueError(_("expected four numbers: minlon,minlat,maxlon,maxlat")) from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise ValueError(_("expected four numbers: minlon,minlat,maxlon,maxlat"))
    if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90):
        raise ValueError(_("longitude must be within ±180 and latitude within ±90"))
    if minx >= maxx or miny >= maxy:
        raise ValueError(_("the minimum must be below the maximum"))
    if maxx - minx > MAX_BBOX_DEGREES or maxy - miny > MAX_BBOX_DEGREES:
        raise ValueError(_("the box is too large; zoom in"))
    return minx, miny, maxx, maxy
