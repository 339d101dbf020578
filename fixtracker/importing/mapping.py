"""A report mapping: how an old hotline's export becomes Fix-Tbilisi reports.

YAML, like a layer's mapping (layers/importing/mapping.py), whose keys it shares where they mean
the same (id, status, date_formats, crs, geometry, fields, duplicates, encoding, sheet); these
are its own, and an unknown key is refused by name:

    source: old-hotline-1505             # required: with the old id, the stable key of each report
    format: open311                      # csv, xlsx or open311 (JSON); by default from the suffix
    category:                            # required: every value the file holds, to our category codes
      column: "Category"
      values: {"Street light out": lamp-out, ...}
    status:
      column: "Status"                   # required: the old status words, to our statuses
      date: "Updated"                    # when the current status began (if no column below dates it)
      values: {"Closed": closed, "Done": resolved, "In work": in_progress, ...}
    close_reasons: {"Not ours": not_ours}   # status words whose closure had a reason of ours
    dates:                               # created is required; the others where the system kept them
      created: "Created"
      acknowledged: "Accepted"
      resolved: "Done at"
      closed: "Closed at"
    timezone: Asia/Tbilisi               # of times written without an offset (the default)
    deadlines: {response: "Answer by", resolution: "Due"}   # the old system's; else the category's
    without_location: keep               # keep such rows off the map (counted); default: refuse
    placeholders:                        # locations that mean "unknown" in the old system
      points: [[0, 0], [44.7989, 41.6938]]   # in the file's own coordinates (x or lon first)
      tolerance_m: 30
      bbox: [44.59, 41.60, 45.02, 41.86]     # lon/lat: a point outside it is a placeholder

An Open311 GeoReport v2 file needs little: the id, category, dates, deadline, place, description
and address columns default to its field names (OPEN311), and only the category and status
values must be given.
"""

import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pyproj import Transformer

from layers.importing.mapping import Mapping, MappingError, _known, _section
from smartmap.lib.geofiles import GeoFileError, parse_crs

OWN_KEYS = {
    "format", "category", "close_reasons", "dates", "timezone", "deadlines", "without_location", "placeholders",
}  # fmt: skip
CORE_KEYS = {"source", "id", "status", "date_formats", "crs", "geometry", "fields", "duplicates", "encoding", "sheet"}
DATES = ("created", "acknowledged", "resolved", "closed")
FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "open311"}
OPEN311 = {
    "id": "service_request_id",
    "category": {"column": "service_code"},
    "status": {"column": "status"},
    "dates": {"created": "requested_datetime"},
    "deadlines": {"resolution": "expected_datetime"},
    "geometry": {"lat": "lat", "lon": "long"},
    "fields": {"description": "description", "address": "address"},
}
# Sources our own reports carry: an import under one of them could collide with a real report.
RESERVED_SOURCES = {"citizen", "open311", "manual", "api", "phone", "demo"}


@dataclass
class Placeholders:
    points: list[tuple[float, float]] = field(default_factory=list)  # lon/lat, transformed from the file's CRS
    tolerance_m: float = 0.0
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class ReportMapping(Mapping):
    format: str = ""
    category_column: str = ""
    categories: dict[str, str] = field(default_factory=dict)  # casefolded old value -> our code
    close_reasons: dict[str, str] = field(default_factory=dict)  # casefolded status word -> reason
    dates: dict[str, str] = field(default_factory=dict)  # created/acknowledged/resolved/closed -> column
    deadlines: dict[str, str] = field(default_factory=dict)  # response/resolution -> column
    timezone: str = "Asia/Tbilisi"
    keep_without_location: bool = False
    placeholders: Placeholders = field(default_factory=Placeholders)
    # Columns only a format's defaults name (an Open311 file need not have every optional field).
    optional: set[str] = field(default_factory=set)

    @classmethod
    def load_for(cls, path, file_path) -> "ReportMapping":
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise MappingError(f"cannot read mapping {path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise MappingError(f"mapping {path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
        return cls.from_report_dict(data, Path(file_path).suffix.lower())

    @classmethod
    def from_report_dict(cls, data, suffix: str = "") -> "ReportMapping":
        if not isinstance(data, dict):
            raise MappingError("a mapping must be a dictionary of keys")
        _known(data, OWN_KEYS | CORE_KEYS, "")
        kind = str(data.get("format") or FORMATS.get(suffix, ""))
        if kind not in FORMATS.values():
            raise MappingError(f"format must be one of csv, xlsx, open311 (or a .csv, .xlsx, .json file), not '{kind}'")
        optional = set()
        if kind == "open311":
            data, optional = _with_defaults(data, OPEN311)
        category = _section(data, "category", {"column", "values"})
        if not category.get("column") or not category.get("values"):
            raise MappingError("the mapping needs 'category: {column: …, values: {old value: our code, …}}'")
        dates = _section(data, "dates", set(DATES))
        if not dates.get("created"):
            raise MappingError("the mapping needs 'dates: {created: <column>}': when each report was filed")
        if not (data.get("status") or {}).get("column"):
            raise MappingError("the mapping needs 'status: {column: …, values: {old word: our status, …}}'")
        core = {key: data[key] for key in CORE_KEYS if key in data}
        mapping = super().from_dict({**core, "layer": "reports", "fields": data.get("fields") or {"description": ""}})
        mapping.fields = {k: v for k, v in mapping.fields.items() if v}
        mapping.format = kind
        mapping.optional = optional
        mapping.category_column = str(category["column"])
        mapping.categories = _categories(category["values"])
        mapping.close_reasons = _close_reasons(data.get("close_reasons") or {})
        mapping.dates = {k: str(v) for k, v in dates.items() if v}
        mapping.deadlines = {k: str(v) for k, v in _section(data, "deadlines", {"response", "resolution"}).items() if v}
        mapping.timezone = _timezone(data.get("timezone") or "Asia/Tbilisi")
        mapping.keep_without_location = _without_location(data.get("without_location", "refuse"))
        if mapping.crs:
            try:
                parse_crs(mapping.crs)
            except GeoFileError as exc:
                raise MappingError(f"crs: {exc}") from None
        mapping.placeholders = _placeholders(data.get("placeholders"), mapping.crs)
        _check_source(mapping.source)
        return mapping

    def columns(self) -> set[str]:
        return super().columns() | {self.category_column, *self.dates.values(), *self.deadlines.values()}

    def without_absent(self, header) -> None:
        """Forget the optional defaults' columns the file does not have (a deadline, an address)."""
        absent = self.optional - set(header)
        self.fields = {k: v for k, v in self.fields.items() if v not in absent}
        self.deadlines = {k: v for k, v in self.deadlines.items() if v not in absent}


def _with_defaults(data: dict, defaults: dict) -> tuple[dict, set[str]]:
    """The mapping with a format's defaults where it says nothing; and the optional columns they name."""
    merged, optional = dict(data), set()
    for key, value in defaults.items():
        if isinstance(value, dict) and key != "geometry":
            merged[key] = {**value, **(data.get(key) or {})}
            if key in ("fields", "deadlines"):
                optional |= {column for name, column in value.items() if name not in (data.get(key) or {})}
        else:
            merged.setdefault(key, value)
    return merged, optional


def _categories(values) -> dict[str, str]:
    from fixtracker.models import Category

    if not isinstance(values, dict):
        raise MappingError("category.values must map the file's values to our category codes")
    known = set(Category.objects.values_list("slug", flat=True))
    unknown = sorted({str(code) for code in values.values()} - known)
    if unknown:
        raise MappingError(
            f"category.values name unknown categories: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return {str(word).strip().casefold(): str(code) for word, code in values.items()}


def _close_reasons(values) -> dict[str, str]:
    from fixtracker.models import Report

    if not isinstance(values, dict):
        raise MappingError("close_reasons must map status words to reasons")
    bad = sorted({str(r) for r in values.values()} - set(Report.CloseReason.values))
    if bad:
        raise MappingError(
            f"close_reasons: unknown reason(s) {', '.join(bad)}; known: {', '.join(Report.CloseReason.values)}"
        )
    return {str(word).strip().casefold(): str(reason) for word, reason in values.items()}


def _timezone(name) -> str:
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"unknown timezone '{name}' (e.g. Asia/Tbilisi)") from None
    return str(name)


def _without_location(value) -> bool:
    if value not in ("refuse", "keep"):
        raise MappingError(f"without_location must be 'refuse' or 'keep', not '{value}'")
    return value == "keep"


def _placeholders(data, crs) -> Placeholders:
    if not data:
        return Placeholders()
    if not isinstance(data, dict):
        raise MappingError(
            "placeholders must be a dictionary: {points: [[x, y], …], tolerance_m: …, bbox: [w, s, e, n]}"
        )
    _known(data, {"points", "tolerance_m", "bbox"}, "placeholders.")
    try:
        points = [(float(p[0]), float(p[1])) for p in data.get("points") or []]
        tolerance = float(data.get("tolerance_m", 0))
        bbox = tuple(float(v) for v in data["bbox"]) if data.get("bbox") else None
    except (TypeError, ValueError, IndexError, KeyError):
        raise MappingError(
            "placeholders: points are [x, y] pairs of numbers, tolerance_m a number, bbox four numbers"
        ) from None
    if bbox is not None and (len(bbox) != 4 or bbox[0] >= bbox[2] or bbox[1] >= bbox[3]):
        raise MappingError("placeholders.bbox is [west, south, east, north] in degrees, west < east and south < north")
    if tolerance < 0:
        raise MappingError("placeholders.tolerance_m cannot be negative")
    if crs and points:
        try:
            transformer = Transformer.from_crs(parse_crs(crs), "EPSG:4326", always_xy=True)
        except GeoFileError as exc:
            raise MappingError(str(exc)) from None
        points = [transformer.transform(x, y) for x, y in points]
    return Placeholders(points, tolerance, bbox)


def _check_source(source: str):
    if source in RESERVED_SOURCES:
        raise MappingError(f"source '{source}' is what our own reports are filed under; name the old system instead")


__all__ = ["DATES", "MappingError", "ReportMapping"]
