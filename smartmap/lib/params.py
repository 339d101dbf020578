"""Parsers for query-string values; each raises ValueError with a sentence a person understands."""

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
