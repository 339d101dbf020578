"""Parsers for query-string values; each raises ValueError with a sentence a person understands."""

import math
import re
from datetime import date

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


# One parser per kind of parameter. Each takes the raw text (from a query string, a path, a form
# or a JSON member) and returns the value or raises ValueError with a sentence for a person.
# str.isdigit() is never the test: it accepts '²' and '٣', which int() then refuses or reads as 3.
_ASCII_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,49}", re.ASCII)
_TOKEN = re.compile(r"[A-Za-z0-9:_-]{1,400}", re.ASCII)
_REFERENCE = re.compile(r"(?:[A-Z]{2}-)?([0-9]{1,12})", re.ASCII | re.IGNORECASE)
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2100, 12, 31)
MAX_DB_INTEGER = 2**31 - 1


def parse_int(raw, low: int = 0, high: int = MAX_DB_INTEGER) -> int:
    """A whole number in ASCII digits, between low and high."""
    text = str(raw).strip()
    if not _ASCII_INTEGER.fullmatch(text):
        raise ValueError(_("expected a whole number in digits 0-9"))
    value = int(text) if len(text) <= 20 else None
    if value is None or not low <= value <= high:
        raise ValueError(_("must be between %(low)d and %(high)d") % {"low": low, "high": high})
    return value


def parse_day(raw) -> date:
    """A calendar day written YYYY-MM-DD, between 1900-01-01 and 2100-12-31."""
    text = str(raw).strip()
    try:
        # fromisoformat also takes 20250301 and week dates: only YYYY-MM-DD is documented.
        if len(text) != 10 or not text.isascii():
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("expected a date as YYYY-MM-DD, for example 2025-03-01")) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(
            _("the date must be between %(first)s and %(last)s")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}
        )
    return day


def parse_code(raw) -> str:
    """A code or slug: lower-case letters, digits, '-' and '_', at most 50."""
    text = str(raw).strip().lower()
    if not _CODE.fullmatch(text):
        raise ValueError(_("expected a code of letters a-z, digits, '-' or '_'"))
    return text


def parse_district(raw) -> int | str:
    """A district by its number (1-999) or its code (vake)."""
    text = str(raw).strip().lower()
    if _ASCII_INTEGER.fullmatch(text):
        return parse_int(text, 1, 999)
    try:
        return parse_code(text)
    except ValueError:
        raise ValueError(_("expected a district number or code, for example 3 or vake")) from None


def parse_reference(raw) -> int | str:
    """A report's reference, TB-000123, or its bare number: the number as an int, or the reference."""
    text = str(raw).strip()
    match = _REFERENCE.fullmatch(text)
    if not match:
        raise ValueError(_("expected a reference like TB-000123"))
    return text.upper() if "-" in text else parse_int(text, 1, MAX_DB_INTEGER)


def parse_token(raw) -> str:
    """A signed token as this site writes them (letters, digits, ':', '_', '-')."""
    text = str(raw).strip()
    if not _TOKEN.fullmatch(text):
        raise ValueError(_("the link's token is malformed"))
    return text
