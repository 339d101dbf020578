"""Turn rows into records: typed values, a geometry in EPSG:4326 and dated status stages.

A row that cannot be used becomes a Rejection with its row number and a reason a clerk can fix;
the other rows go on. Several rows with one id are that item's history: each row is a stage, and
the latest stage's row supplies the item's current values.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

import shapely
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from pyproj import Transformer

from layers.importing.mapping import Mapping
from layers.importing.readers import Row
from smartmap.lib.geofiles import parse_crs

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
TRUE_WORDS = {"1", "true", "yes", "y", "კი", "დიახ", "x", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "არა", ""}


class RowError(ValueError):
    pass


@dataclass
class Stage:
    status: str
    at: datetime | None


@dataclass
class Record:
    external_id: str
    rows: list[int]
    values: dict
    geom: object
    stages: list[Stage] = field(default_factory=list)
    point: object = None


@dataclass
class Rejection:
    row: int
    reason: str
    external_id: str | None = None


class Converter:
    def __init__(self, mapping: Mapping, model, index):
        self.mapping = mapping
        self.model = model
        self.model_fields = {f.name for f in model._meta.fields}
        self.index = index
        self.to_wgs84 = None
        if mapping.crs and parse_crs(mapping.crs).to_epsg() != 4326:
            self.to_wgs84 = Transformer.from_crs(parse_crs(mapping.crs), "EPSG:4326", always_xy=True)

    def convert(self, rows: list[Row]) -> tuple[list[Record], list[Rejection]]:
        rejections, parsed = [], []
        for row in rows:
            try:
                parsed.append(self._row(row))
            except RowError as exc:
                raw_id = row.values.get(self.mapping.id_column)
                rejections.append(Rejection(row.number, str(exc), _clean_id(raw_id) if raw_id is not None else None))
        parsed, outside = self._check_places(parsed)
        rejections.extend(outside)
        return self._group(parsed), sorted(rejections, key=lambda r: r.row)

    def _row(self, row: Row):
        m = self.mapping
        external_id = row.values.get(m.id_column)
        if external_id is None:
            raise RowError(f"no id in column '{m.id_column}'")
        values = {name: self._value(name, column, row.values.get(column)) for name, column in m.fields.items()}
        if m.person_column and str(row.values.get(m.person_column) or "").strip().casefold() in m.person_values:
            # A private person's name is never published, whatever the register says.
            values.pop("applicant_org", None)
            values["applicant_org"] = ""
        status = self._status(row.values.get(m.status_column)) if m.status_column else None
        at = (
            self._datetime(m.status_date_column, row.values.get(m.status_date_column)) if m.status_date_column else None
        )
        values.setdefault("reference", "")
        values["reference"] = values["reference"] or _clean_id(external_id)
        if "title" in self.model_fields:
            values["title"] = values.get("title") or values.get("address") or values["reference"]
        geom = row.geom if row.geom is not None else self._geometry(row.values)
        if geom is None:
            raise RowError("no geometry (location)")
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        return _clean_id(external_id), row.number, values, geom, (Stage(status, at) if status else None)

    def _status(self, word):
        if word is None:
            raise RowError(f"no status in column '{self.mapping.status_column}'")
        code = self.mapping.status_values.get(str(word).strip().casefold())
        if code is None:
            raise RowError(f"unknown status word '{word}'")
        return code

    def _geometry(self, values):
        spec = self.mapping.geometry
        if "wkt" in spec:
            text = values.get(spec["wkt"])
            if not text:
                return None
            try:
                geom = shapely.from_wkt(str(text))
            except shapely.errors.GEOSException:
                raise RowError(f"column '{spec['wkt']}': not valid WKT") from None
        elif ("lon" in spec and "lat" in spec) or ("x" in spec and "y" in spec):
            x_col, y_col = (spec["lon"], spec["lat"]) if "lon" in spec else (spec["x"], spec["y"])
            x, y = values.get(x_col), values.get(y_col)
            if x is None or y is None:
                return None
            geom = shapely.Point(_number(x, x_col), _number(y, y_col))
        else:
            return None
        if self.to_wgs84 is not None:
            geom = shapely.transform(geom, lambda xy: _transform(self.to_wgs84, xy))
        return geom

    def _value(self, name, column, raw):
        field_ = self.model._meta.get_field(name)
        if raw is None:
            return [] if isinstance(field_, (ArrayField, models.JSONField)) else (None if field_.null else "")
        try:
            return self._typed(field_, name, raw)
        except (ValueError, InvalidOperation):
            raise RowError(f"column '{column}': cannot read {raw!r} as {_kind(field_)}") from None

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
        if isinstance(field_, models.DateTimeField):
            return self._datetime(None, raw, strict=True)
        if isinstance(field_, models.DateField):
            return self._datetime(None, raw, strict=True).date()
        if isinstance(field_, models.DecimalField):
            return Decimal(str(raw).replace(" ", "").replace(",", "."))
        if isinstance(field_, models.FloatField):
            return _number(raw, name)
        if isinstance(field_, models.IntegerField):
            number = _number(raw, name)
            if number != int(number) or number < 0:
                raise ValueError(raw)
            return int(number)
        return str(raw).strip()[: getattr(field_, "max_length", None) or None]

    def _datetime(self, column, raw, strict=False):
        if raw is None:
            return None
        if isinstance(raw, datetime):
            parsed = raw
        elif isinstance(raw, date):
            parsed = datetime.combine(raw, time(12, 0))
        else:
            parsed = _parse_date(str(raw).strip(), self.mapping.date_formats)
            if parsed is not None and parsed.time() == time(0, 0):
                parsed = parsed.replace(hour=12)
            if parsed is None:
                if strict:
                    raise ValueError(raw)
                raise RowError(f"column '{column}': cannot read '{raw}' as a date (expected e.g. 17.05.2024)")
        # Register dates are Tbilisi dates; a bare date means midday there, never a UTC midnight.
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)

    def _check_places(self, parsed):
        points = [shapely.point_on_surface(p[3]) for p in parsed]
        inside = self.index.inside_city(points) if points else []
        kept, rejected = [], []
        for item, point, ok in zip(parsed, points, inside, strict=True):
            if ok:
                kept.append((*item, point))
            else:
                reason = f"location {point.y:.5f}, {point.x:.5f} is outside Tbilisi"
                rejected.append(Rejection(item[1], reason, item[0]))
        return kept, rejected

    def _group(self, parsed) -> list[Record]:
        records: dict[str, Record] = {}
        latest: dict[str, datetime | None] = {}
        for external_id, number, values, geom, stage, point in parsed:
            record = records.get(external_id)
            if record is None:
                record = records[external_id] = Record(external_id, [], values, geom, point=point)
                latest[external_id] = stage.at if stage else None
            elif stage and (latest[external_id] is None or (stage.at and stage.at >= latest[external_id])):
                record.values, record.geom, record.point = values, geom, point
                latest[external_id] = stage.at
            record.rows.append(number)
            if stage:
                record.stages.append(stage)
        for record in records.values():
            record.stages.sort(key=lambda s: s.at or timezone.now())
        return list(records.values())


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


def _number(raw, column) -> float:
    if isinstance(raw, (int, float)):
        return float(raw)
    try:
        return float(str(raw).replace(" ", "").replace(",", "."))
    except ValueError:
        raise RowError(f"column '{column}': cannot read {raw!r} as a number") from None


def _transform(transformer, coords):
    import numpy as np

    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _parse_date(text: str, formats: list[str]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _kind(field_) -> str:
    if isinstance(field_, models.DateField):
        return "a date"
    if isinstance(field_, (models.IntegerField, models.FloatField, models.DecimalField)):
        return "a number"
    if isinstance(field_, models.BooleanField):
        return "yes/no"
    return "text"
