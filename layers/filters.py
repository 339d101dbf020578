"""The query parameters every layer endpoint shares, parsed strictly and turned into SQL conditions.

Parsing collects every problem, each with a sentence a person understands, and raises ParamErrors;
views answer it with the project's 400 shape (smartmap.api.bad_request). Nothing here touches the
database except resolve_district(), kept apart so a cached tile can be answered without it.

Dates are calendar days in Tbilisi: from=2025-03-01&to=2025-03-31 is every status that began on
any day of March, Tbilisi time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from smartmap.api import bad_request
from smartmap.lib.coordinates import parse_bbox
from smartmap.lib.params import parse_day, parse_district, parse_int

MAX_LIMIT = 1000
DEFAULT_LIMIT = 500
MAX_OFFSET = 100_000  # deeper pages scan too much: narrow the box or the filters instead
Q_LENGTH = (2, 100)
NO_STATUS = "-"


class ParamErrors(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors

    def response(self):
        field_name, messages = next(iter(self.errors.items()))
        response = bad_request(messages[0], field_name)
        response.data["errors"] = self.errors  # every problem at once, the first one in "detail"
        return response


@dataclass
class ItemFilters:
    bbox: tuple[float, float, float, float] | None = None
    statuses: list[str] | None = None
    district: str | None = None  # as given: a number or a slug
    district_id: int | None = None  # set by resolve_district()
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def cache_key(self) -> str:
        """The filters as a stable string, for cache keys (tiles take no bbox)."""
        parts = [
            "*" if self.statuses is None else ",".join(self.statuses) or "-",
            self.district or "",
            self.date_from.isoformat() if self.date_from else "",
            self.date_to.isoformat() if self.date_to else "",
            self.q or "",
        ]
        return "|".join(parts)

    @property
    def since(self) -> datetime | None:
        return day_start(self.date_from) if self.date_from else None

    @property
    def until(self) -> datetime | None:
        """The first moment after the `to` day (exclusive)."""
        return day_start(self.date_to + timedelta(days=1)) if self.date_to else None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


FILTERS = ("bbox", "status", "district", "from", "to", "q")


def parse_filters(layer, params, allowed=FILTERS) -> ItemFilters:
    """ItemFilters from a QueryDict (or a dict of strings); raises ParamErrors listing every bad one."""
    filters = ItemFilters()
    parsers = {
        "bbox": parse_bbox,
        "status": lambda raw: _parse_statuses(layer, raw),
        "district": _parse_district,
        "from": parse_day,
        "to": parse_day,
        "q": _parse_q,
    }
    values = {}
    for name in allowed:
        raw = params.get(name)
        if raw is None:
            continue
        try:
            values[name] = parsers[name](str(raw).strip())
        except ValueError as exc:
            filters.errors.setdefault(name, []).append(str(exc))
    filters.bbox = values.get("bbox")
    filters.statuses = values.get("status")
    filters.district = values.get("district")
    filters.date_from, filters.date_to = values.get("from"), values.get("to")
    filters.q = values.get("q")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        filters.errors.setdefault("to", []).append(_("must not be before “from”"))
    if filters.errors:
        raise ParamErrors(filters.errors)
    return filters


def _parse_statuses(layer, raw: str) -> list[str]:
    if raw == NO_STATUS:
        return []  # the map's legend with every status unticked: show nothing
    codes = [c.strip() for c in raw.split(",") if c.strip()]
    if not codes:
        raise ValueError(_("give at least one status"))
    known = [code for code, _label in layer.statuses()]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(
            _("unknown status %(unknown)s; this layer's statuses are: %(known)s")
            % {"unknown": ", ".join(unknown), "known": ", ".join(known)}
        )
    return sorted(set(codes))


def _parse_district(raw: str) -> str:
    return str(parse_district(raw))  # "3" or "vake": kept as text for the cache key


def _parse_q(raw: str) -> str:
    if not (Q_LENGTH[0] <= len(raw) <= Q_LENGTH[1]):
        low, high = Q_LENGTH
        raise ValueError(_("the search text must be %(min)d to %(max)d characters") % {"min": low, "max": high})
    return raw


def parse_page(params) -> tuple[int, int]:
    errors = {}
    limit = _int_param(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, errors)
    offset = _int_param(params, "offset", 0, 0, MAX_OFFSET, errors)
    if errors:
        raise ParamErrors(errors)
    return limit, offset


def _int_param(params, name, default, low, high, errors) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        return parse_int(raw, low, high)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return default


def resolve_district(filters: ItemFilters) -> None:
    """Look the district up by number or code; ParamErrors when there is none."""
    if filters.district is None:
        return
    column = "number" if filters.district.isascii() and filters.district.isdecimal() else "slug"
    with connection.cursor() as cursor:
        # Raw SQL: one indexed lookup; the column name comes from the line above, never from input.
        cursor.execute(f"SELECT id FROM places_district WHERE {column} = %s", [filters.district])
        row = cursor.fetchone()
    if row is None:
        raise ParamErrors({"district": [_("there is no district %(district)s") % {"district": filters.district}]})
    filters.district_id = row[0]


def search_expression(layer, alias: str = "i") -> str:
    """The layer's search text, exactly as the trigram index (migration 0004) was built on it."""
    return "(" + " || ' ' || ".join(f"{alias}.{name}" for name in layer.search_fields) + ")"


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_sql(layer, filters: ItemFilters, alias: str = "i", dates: bool = True) -> tuple[list[str], dict]:
    """SQL conditions (ANDed by the caller) and their named parameters; the public rule comes first."""
    clauses = [_public_sql(layer, alias)]
    params: dict = {}
    if filters.bbox:
        # Geometries touching the box (lines and areas too), found through the GiST index on geom.
        clauses.append(f"ST_Intersects({alias}.geom, ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326))")
        params.update(zip(("minx", "miny", "maxx", "maxy"), filters.bbox, strict=True))
    if filters.statuses is not None:
        clauses.append(f"{alias}.status = ANY(%(statuses)s)")
        params["statuses"] = filters.statuses
    if filters.district is not None:
        clauses.append(f"{alias}.district_id = %(district_id)s")
        params["district_id"] = filters.district_id
    if dates and filters.date_from:
        clauses.append(f"{alias}.status_since >= %(since)s")
        params["since"] = filters.since
    if dates and filters.date_to:
        clauses.append(f"{alias}.status_since < %(until)s")
        params["until"] = filters.until
    if filters.q:
        clauses.append(_text_sql(layer, alias))
        params["q_like"] = f"%{like_escape(filters.q)}%"
        params["q_exact"] = filters.q
    return clauses, params


def _text_sql(layer, alias: str) -> str:
    text = f"{search_expression(layer, alias)} ILIKE %(q_like)s"
    if has_cadastral_codes(layer):
        # The GIN index on cadastral_codes answers "contains this code" directly.
        return f"({text} OR {alias}.cadastral_codes @> ARRAY[%(q_exact)s]::varchar[])"
    return text


def has_cadastral_codes(layer) -> bool:
    return any(f.name == "cadastral_codes" for f in layer.model._meta.fields)


def _public_sql(layer, alias: str) -> str:
    # The registry's rule names the item table's columns unqualified; every query here joins only
    # tables without such columns (districts), so it reads unambiguously as written.
    return f"({layer.public_sql})"
