"""Mapping files: how one source's columns, dates and status words become our fields.

A mapping is YAML (or JSON) like this; every key but ``fields`` is optional unless said:

    layer: construction-permits          # required: a registered layer
    source: tbilisi-urban-development    # required: with the id column, how rows are matched again
    id: "განცხადების №"                  # required: the column with the source's own id
    date_formats: ["%d.%m.%Y"]           # tried in order; ISO dates are always accepted
    crs: "EPSG:32638"                    # for CSV/XLSX coordinates; files that declare a CRS win
    geometry: {lon: "X", lat: "Y"}       # or {wkt: "WKT"}; spatial files need none
    status:
      column: "სტატუსი"
      date: "სტატუსის თარიღი"            # when the stage began at the source
      values: {"განხილვაშია": under_review, ...}
    fields: {reference: "ნებართვის №", address: "მისამართი", ...}
    person_column: "განმცხადებლის ტიპი"  # rows whose value is in person_values publish no applicant
    person_values: ["ფიზიკური პირი"]
    snapshot: true                       # the file is the whole register: missing items are withdrawn
    max_vanish: 0.10                     # refuse a snapshot that would withdraw more than this share
    demo: false
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from layers.registry import get_layer

DEFAULT_DATE_FORMATS = ["%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]


class MappingError(Exception):
    """The mapping file is unusable; the message says which key and why."""


@dataclass
class Mapping:
    layer: str
    source: str
    id_column: str
    fields: dict[str, str]
    status_column: str | None = None
    status_date_column: str | None = None
    status_values: dict[str, str] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=lambda: list(DEFAULT_DATE_FORMATS))
    crs: str | None = None
    geometry: dict[str, str] = field(default_factory=dict)
    person_column: str | None = None
    person_values: list[str] = field(default_factory=list)
    snapshot: bool = False
    max_vanish: float = 0.10
    demo: bool = False
    sheet: str | None = None

    @classmethod
    def load(cls, path) -> "Mapping":
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise MappingError(f"cannot read mapping {path}: {exc.strerror}") from None
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise MappingError(f"mapping {path.name} is not valid YAML/JSON: {str(exc).splitlines()[0]}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data) -> "Mapping":
        if not isinstance(data, dict):
            raise MappingError("a mapping must be a dictionary of keys")
        for key in ("layer", "source", "id", "fields"):
            if not data.get(key):
                raise MappingError(f"the mapping needs '{key}'")
        layer = get_layer(data["layer"])
        if layer is None:
            raise MappingError(f"unknown layer '{data['layer']}'")
        status = data.get("status") or {}
        model_fields = {f.name for f in layer.model._meta.get_fields()}
        unknown = [name for name in data["fields"] if name not in model_fields]
        if unknown:
            raise MappingError(f"the layer {layer.slug} has no field(s) {', '.join(unknown)}")
        statuses = {code for code, _ in layer.statuses()}
        bad = {word: code for word, code in (status.get("values") or {}).items() if code not in statuses}
        if bad:
            raise MappingError(f"status words map to unknown statuses: {bad}; known: {', '.join(sorted(statuses))}")
        return cls(
            layer=layer.slug,
            source=str(data["source"]),
            id_column=str(data["id"]),
            fields={k: str(v) for k, v in data["fields"].items()},
            status_column=status.get("column"),
            status_date_column=status.get("date"),
            status_values={str(k).strip().casefold(): v for k, v in (status.get("values") or {}).items()},
            date_formats=list(data.get("date_formats") or []) + DEFAULT_DATE_FORMATS,
            crs=data.get("crs"),
            geometry=data.get("geometry") or {},
            person_column=data.get("person_column"),
            person_values=[str(v).strip().casefold() for v in data.get("person_values") or []],
            snapshot=bool(data.get("snapshot", False)),
            max_vanish=float(data.get("max_vanish", 0.10)),
            demo=bool(data.get("demo", False)),
            sheet=data.get("sheet"),
        )

    def columns(self) -> set[str]:
        """Every column this mapping reads, to check against the file's header."""
        wanted = {self.id_column, *self.fields.values(), *self.geometry.values()}
        wanted |= {c for c in (self.status_column, self.status_date_column, self.person_column) if c}
        wanted.discard("crs")
        return wanted
