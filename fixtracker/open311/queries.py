"""GET requests: the spec's filters, read strictly; anything malformed is a 400, never ignored.

- service_request_id: comma-separated references; when given it overrides every other filter.
- service_code: comma-separated. status: open and/or closed (our statuses map onto the two).
- start_date / end_date: W3C datetimes with a timezone, on requested_datetime. Without either,
  the spec's default window: the last 90 days.
- page / page_size (our extension): 1-based, page_size at most MAX_PAGE_SIZE (the spec's cap).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fixtracker.models import Report
from fixtracker.open311.formats import Open311Error
from fixtracker.open311.serializers import CLOSED
from fixtracker.workflow import OPEN

DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000  # far beyond any real list; keeps the OFFSET a number PostgreSQL takes
STATUSES = {"open": OPEN, "closed": CLOSED}


@dataclass
class Query:
    ids: list[str]
    codes: list[str]
    statuses: set[str]
    start: datetime | None
    end: datetime | None
    page: int
    page_size: int


def read_query(params) -> Query:
    start, end = _datetime(params, "start_date"), _datetime(params, "end_date")
    if start and end and start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if start is None and end is None:
        start = timezone.now() - DEFAULT_WINDOW
    return Query(
        ids=_list(params, "service_request_id"),
        codes=_list(params, "service_code"),
        statuses=_statuses(params),
        start=start,
        end=end,
        page=_integer(params, "page", default=1, low=1, high=MAX_PAGE),
        page_size=_integer(params, "page_size", default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE),
    )


def select(query: Query):
    """The matching public reports, newest first, and this page of them."""
    reports = Report.objects.public().order_by("-created_at", "-id")
    if query.ids:
        return reports.filter(reference__in=query.ids[:MAX_PAGE_SIZE])
    if query.codes:
        reports = reports.filter(category__slug__in=query.codes)
    if query.statuses:
        reports = reports.filter(status__in=query.statuses)
    if query.start:
        reports = reports.filter(created_at__gte=query.start)
    if query.end:
        reports = reports.filter(created_at__lte=query.end)
    offset = (query.page - 1) * query.page_size
    return reports[offset : offset + query.page_size]


def _list(params, name) -> list[str]:
    return [part.strip() for part in params.get(name, "").split(",") if part.strip()]


def _statuses(params) -> set[str]:
    statuses = set()
    for word in _list(params, "status"):
        if word.lower() not in STATUSES:
            raise Open311Error(
                400, _("status must be open, closed or both, comma-separated; not “%(s)s”.") % {"s": word}
            )
        statuses |= STATUSES[word.lower()]
    return statuses


def _datetime(params, name) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise Open311Error(
            400, _("%(name)s must be a W3C datetime with a timezone, like 2025-05-01T00:00:00Z.") % {"name": name}
        )
    return moment


def _integer(params, name, *, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        limit = _("%(low)d to %(high)d") % {"low": low, "high": high}
        raise Open311Error(400, _("%(name)s must be a whole number, %(limit)s.") % {"name": name, "limit": limit})
    return int(raw)
