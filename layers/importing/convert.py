"""Turn rows into records: typed values, a geometry in EPSG:4326 and dated status stages.

A row that cannot be used becomes a Rejection with its row number and a reason a clerk can fix;
the other rows go on. A value is refused, never coerced, when it is not what its column holds: a
NaN or infinite number, a number larger than the column can keep, a coordinate off the globe.
Stages and what several rows of one id mean are in stages.py.

Hooks for other importers built on this core: subclass Converter and override ``extra_values``
(more values from a row, or a RowError) — the rest (ids, geometry, stages, places) is shared.
"""

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import shapely
from django.contrib.postgres.fields import ArrayField
from django.db import models
from pyproj import Transformer

from layers.importing.dates import DateError, parse_date
from layers.importing.mapping import Mapping
from layers.importing.readers import Row
from layers.importing.stages import Parsed, Record, Rejection, RowError, group, row_stages
from smartmap.lib.coordinates import is_number
from smartmap.lib.geofiles import parse_crs

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
TRUE_WORDS = {"1", "true", "yes", "y", "კი", "დიახ", "x", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "არა", ""}
# The largest value each integer column holds (PostgreSQL smallint / integer).
INT_LIMITS = {models.PositiveSmallIntegerField: 32767, models.SmallIntegerField: 32767}
FLOAT_LIMIT = 1e12

__all__ = ["Converter", "Conversion", "Record", "Rejection", "RowError"]


@dataclass
class Conversion:
    records: list[Record]
    rejections: list[Rejection]
    rows_read: int
    # Raw (x, y) of every row with finite coordinates, before any transform: what diagnose.py tries
    # other readings of when no row lands in the city.
    raw_points: list[tuple[float, float]] = field(default_factory=list)
    outside: int = 0


class Converter:
    def __init__(self, mapping: Mapping, model, index):
        self.mapping = mapping
        self.model = model
        self.model_fields = {f.name for f in model._meta.fields}
        self.index = index
        self.to_wgs84 = None
        if mapping.crs and parse_crs(mapping.crs).to_epsg() != 4326:
            self.to_wgs84 = Transformer.from_crs(parse_crs(mapping.crs), "EPSG:4326", always_xy=True)
        self.raw_points: list[tuple[float, float]] = []

    def convert(self, rows: list[Row]) -> Conversion:
        rejections, parsed = [], []
        for row in rows:
            try:
                parsed.append(self._row(row))
            except RowError as exc:
                raw_id = row.values.get(self.mapping.id_column)
                external_id = _clean_id(raw_id) if raw_id is not None else None
                rejections.append(Rejection(row.number, str(exc), external_id, exc.code))
        parsed, outside = self._check_places(parsed)
        records, refused = group(self.mapping, parsed)
        rejections = sorted([*rejections, *outside, *refused], key=lambda r: r.row)
        return Conversion(records, rejections, len(rows), self.raw_points, len(outside))

    def extra_values(self, row: Row, values: dict) -> dict:
        """Hook: more values from the row (another importer's own columns). Raise RowError to refuse."""
        return values

    def _row(self, row: Row) -> Parsed:
        m = self.mapping
        external_id = row.values.get(m.id_column)
        if external_id is None:
            raise RowError(f"no id in column '{m.id_column}'", "no id")
        geom = self._file_geometry(row.geom) if row.geom is not None else self._geometry(row.values)
        values = {name: self._value(name, column, row.values.get(column)) for name, column in m.fields.items()}
        if m.person_column and str(row.values.get(m.person_column) or "").strip().casefold() in m.person_values:
            # A private person's name is never published, whatever the register says.
            values["applicant_org"] = ""
        stages = row_stages(m, row.values)
        if m.keep_label and "source_status" in self.model_fields:
            values["source_status"] = stages[-1].word[:100]
        values.setdefault("reference", "")
        values["reference"] = values["reference"] or _clean_id(external_id)
        if "title" in self.model_fields:
            values["title"] = values.get("title") or values.get("address") or values["reference"]
        values = self.extra_values(row, values)
        if geom is None:
            raise RowError("no geometry (location)", "no location")
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        return Parsed(_clean_id(external_id), row.number, values, geom, stages)

    def _file_geometry(self, geom):
        _finite_coordinates(geom, "geometry")
        point = shapely.point_on_surface(geom)
        self.raw_points.append((point.x, point.y))
        return geom

    def _geometry(self, values):
        spec = self.mapping.geometry
        if "wkt" in spec:
            text = values.get(spec["wkt"])
            if not text:
                return None
            try:
                geom = shapely.from_wkt(str(text))
            except shapely.errors.GEOSException:
                raise RowError(f"column '{spec['wkt']}': not valid WKT", "unreadable location") from None
            _finite_coordinates(geom, spec["wkt"])
        elif ("lon" in spec and "lat" in spec) or ("x" in spec and "y" in spec):
            x_col, y_col = (spec["lon"], spec["lat"]) if "lon" in spec else (spec["x"], spec["y"])
            x, y = values.get(x_col), values.get(y_col)
            if x is None or y is None:
                return None
            x, y = _coordinate(x, x_col), _coordinate(y, y_col)
            self.raw_points.append((x, y))
            geom = shapely.Point(x, y)
        else:
            return None
        if self.to_wgs84 is not None:
            geom = shapely.transform(geom, lambda xy: _transform(self.to_wgs84, xy))
            if not np.isfinite(shapely.get_coordinates(geom)).all():
                raise RowError(f"the location cannot be placed from {self.mapping.crs}", "unreadable location")
        return geom

    def _value(self, name, column, raw):
        field_ = self.model._meta.get_field(name)
        if raw is None:
            return [] if isinstance(field_, (ArrayField, models.JSONField)) else (None if field_.null else "")
        try:
            return self._typed(field_, name, raw)
        except RowError as exc:
            raise RowError(f"column '{column}': {exc}", exc.code) from None
        except (ValueError, InvalidOperation, OverflowError):
            code = "unreadable number" if _kind(field_) == "a number" else "unreadable value"
            raise RowError(f"column '{column}': cannot read {raw!r} as {_kind(field_)}", code) from None

    def _typed(self, field_, name, raw):
        if name == "construction_class" and str(raw).strip().upper() in ROMAN:
            return ROMAN[str(raw).strip().upper()]
        if isinstance(field_, ArrayField):
            return [part.strip() for part in re.split(r"[;,\n]", str(raw)) if part.strip()]
        if isinstance(field_, models.JSONField):
            return _json_value(name, raw)
        if isinstance(field_, models.BooleanField):
            word = str(raw).strip().casefold()
            if word not in TRUE_WORDS | FALSE_WORDS:
                raise ValueError(word)
            return word in TRUE_WORDS
        if isinstance(field_, (models.DateTimeField, models.DateField)):
            try:
                parsed = parse_date(raw, self.mapping.date_formats)
            except DateError as exc:
                raise RowError(str(exc), "ambiguous date" if "could be" in str(exc) else "unreadable date") from None
            return parsed if isinstance(field_, models.DateTimeField) else parsed.date()
        if isinstance(field_, models.DecimalField):
            return _decimal(field_, raw)
        if isinstance(field_, models.FloatField):
            return _number(raw, limit=FLOAT_LIMIT)
        if isinstance(field_, models.IntegerField):
            number = _number(raw, limit=INT_LIMITS.get(type(field_), 2**31 - 1))
            if number != int(number) or number < 0:
                raise ValueError(raw)
            return int(number)
        return str(raw).strip()[: getattr(field_, "max_length", None) or None]

    def _check_places(self, parsed: list[Parsed]):
        points = [shapely.point_on_surface(p.geom) for p in parsed]
        inside = self.index.inside_city(points) if points else []
        kept, rejected = [], []
        for item, point, ok in zip(parsed, points, inside, strict=True):
            if ok:
                item.point = point
                kept.append(item)
            else:
                reason = f"location {point.y:.5f}, {point.x:.5f} is outside Tbilisi"
                rejected.append(Rejection(item.row, reason, item.external_id, "outside Tbilisi"))
        return kept, rejected


def _json_value(name: str, raw) -> list:
    """Registers write lists as text: documents as links, trees as "species diameter; …"."""
    if name == "trees":
        # "Platanus orientalis 45; Pinus nigra 30" -> species with trunk diameters in cm.
        trees = []
        for part in re.split(r"[;\n]", str(raw)):
            part = part.strip()
            if not part:
                continue
            match = re.fullmatch(r"(.*?)[\s,]*(\d+(?:[.,]\d+)?)\s*(?:სმ|cm)?", part)
            if match and match.group(1):
                trees.append(
                    {"species": match.group(1).strip(), "diameter_cm": float(match.group(2).replace(",", "."))}
                )
            else:
                trees.append({"species": part})
        return trees
    urls = [u for u in re.split(r"[\s;]+", str(raw)) if u.startswith(("http://", "https://"))]
    return [{"url": u, "title": u.rstrip("/").rsplit("/", 1)[-1]} for u in urls]


def _clean_id(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(raw, *, limit: float) -> float:
    """A finite number no larger than the column holds; ValueError otherwise."""
    number = float(raw) if isinstance(raw, (int, float)) else float(str(raw).replace(" ", "").replace(",", "."))
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError(raw)
    return number


def _decimal(field_, raw) -> Decimal:
    number = Decimal(str(raw).replace(" ", "").replace(",", "."))
    if not number.is_finite() or number.adjusted() >= field_.max_digits - field_.decimal_places:
        raise ValueError(raw)
    return number


def _coordinate(raw, column) -> float:
    try:
        number = float(raw) if isinstance(raw, (int, float)) else float(str(raw).replace(" ", "").replace(",", "."))
    except ValueError:
        raise RowError(f"column '{column}': cannot read {raw!r} as a number", "unreadable location") from None
    if not is_number(number):  # the project's one rule for a coordinate's number (smartmap.lib.coordinates)
        raise RowError(f"column '{column}': {raw!r} is not a finite coordinate", "unreadable location")
    return number


def _finite_coordinates(geom, column):
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise RowError(f"column '{column}': the geometry has a non-finite coordinate", "unreadable location")


def _transform(transformer, coords):
    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _kind(field_) -> str:
    if isinstance(field_, models.DateField):
        return "a date"
    if isinstance(field_, (models.IntegerField, models.FloatField, models.DecimalField)):
        return "a number"
    if isinstance(field_, models.BooleanField):
        return "yes/no"
    return "text"
