"""Register dates: what is read, what is refused, and which moment a bare date means.

- ISO 8601 is always read: 2024-05-17, 2024-05-17T10:30, 2024-05-17T10:30:00+04:00, …Z.
- The formats a mapping names (``date_formats``) are tried next, in its order.
- Dotted day-first dates (17.05.2024, optionally with a time) are read without being named: it is
  how Georgian registers write them, and no register writes month first with dots.
- A slashed or dashed day/month form (02/03/2024) is read only when it cannot mean two days
  (17/05/2024 can only be 17 May); when both readings are real dates it is refused as ambiguous
  unless the mapping names the format, since guessing would move a date by months silently.
- A date that does not exist (31.02.2025) is refused.

A bare date is midday in Tbilisi, never a UTC midnight (which is the previous evening there); a
time without a zone is Tbilisi time. Spreadsheet and GIS cells that are already dates are used as
they are.
"""

import re
from datetime import date, datetime, time

from django.utils import timezone

DAY_FIRST = ["%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y"]
_DAY_MONTH = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
EXAMPLE = "17.05.2024 or 2024-05-17"


class DateError(ValueError):
    """The text is not a date this register can be trusted with; the message says why."""


def parse_date(raw, formats: list[str]) -> datetime:
    """A timezone-aware datetime from a cell, or DateError with a reason a clerk can act on."""
    if isinstance(raw, datetime):
        return _aware(_midday(raw))  # a GIS date field arrives as a naive midnight: a bare date
    if isinstance(raw, date):
        return _aware(datetime.combine(raw, time(12, 0)))
    text = str(raw).strip()
    parsed = _iso(text) or _named(text, formats) or _named(text, DAY_FIRST) or _day_month(text, raw)
    if parsed is None:
        raise DateError(f"cannot read '{raw}' as a date (expected e.g. {EXAMPLE})")
    return _aware(parsed)


def _iso(text: str) -> datetime | None:
    if not re.match(r"\d{4}-?\d{2}-?\d{2}", text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _midday(parsed) if len(text) <= 10 else parsed


def _named(text: str, formats: list[str]) -> datetime | None:
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if any(code in fmt for code in ("%H", "%M")) else _midday(parsed)
    return None


def _day_month(text: str, raw) -> datetime | None:
    match = _DAY_MONTH.fullmatch(text)
    if match is None:
        return None
    a, b, year = (int(g) for g in match.groups()[:3])
    hour, minute, second = (int(g or 0) for g in match.groups()[3:])
    readings = {_real(year, month, day, hour, minute, second) for day, month in ((a, b), (b, a))} - {None}
    if len(readings) > 1:
        raise DateError(
            f"'{raw}' could be {a} {_MONTHS[b - 1]} or {b} {_MONTHS[a - 1]}: name the register's format in the "
            f'mapping\'s date_formats (e.g. "%d/%m/%Y")'
        )
    if not readings:
        return None
    parsed = readings.pop()
    return parsed if match.group(4) else _midday(parsed)


def _real(year, month, day, hour, minute, second) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _midday(parsed: datetime) -> datetime:
    return parsed.replace(hour=12) if parsed.time() == time(0, 0) and parsed.tzinfo is None else parsed


def _aware(parsed: datetime) -> datetime:
    # Register dates are Tbilisi dates (TIME_ZONE): make_aware puts a bare time there.
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
