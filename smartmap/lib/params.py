"""Parsers for query-string values; each raises ValueError with a sentence a person understands.

Positions and boxes have their own home, smartmap.lib.coordinates (parse_lonlat, parse_bbox).
"""

import re
from datetime import date

from django.utils.translation import gettext as _

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
