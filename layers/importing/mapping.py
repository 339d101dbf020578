"""Mapping files: how one source's columns, dates and status words become our fields.

A mapping is YAML (or JSON) like this; every key but ``fields`` is optional unless said, and a
key the format does not know is refused (a misspelt key must not import as if it were absent):

    layer: construction-permits          # required: a registered layer
    source: tbilisi-urban-development    # required: with the id column, how rows are matched again
    id: "განცხადების №"                  # required: the column with the source's own id
    date_formats: ["%d/%m/%Y"]           # tried after ISO 8601; see dates.py for what needs naming
    crs: "EPSG:32638"                    # for CSV/XLSX coordinates; files that declare a CRS win
    geometry: {lon: "X", lat: "Y"}       # or {x:, y:} or {wkt: "WKT"}; spatial files need none
    status:
      column: "სტატუსი"                   # the current status
      date: "სტატუსის თარიღი"            # when it began at the source (empty: date unknown)
      values: {"განხილვაშია": under_review, ...}
      keep_label: true                   # keep the register's own word for display
    stages:                              # a wide register: one date column per stage, in order
      application_filed: "შეტანის თარიღი"
      issued: "გაცემის თარიღი"
    duplicates: refuse                   # one row per id (default); "last": the later row wins;
                                         # "history": several rows per id are its stages
    fields: {reference: "ნებართვის №", address: "მისამართი", ...}
    person_column: "განმცხადებლის ტიპი"  # rows whose value is in person_values publish no applicant
    person_values: ["ფიზიკური პირი"]
    snapshot: true                       # the file is the whole register: missing items are withdrawn
    max_vanish: 0.10                     # refuse a snapshot that would withdraw more than this share
    demo: false
    sheet: "2024"                        # the Excel sheet to read (default: the first)
    encoding: cp1251                     # a CSV's encoding when it is not UTF-8 (with or without BOM)
"""

import codecs
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from layers.registry import get_layer

KEYS = {
    "layer", "source", "id", "fields", "status", "stages", "duplicates", "date_formats", "crs", "geometry",
    "person_column", "person_values", "snapshot", "max_vanish", "demo", "sheet", "encoding",
}  # fmt: skip
STATUS_KEYS = {"column", "date", "values", "keep_label"}
GEOMETRY_KEYS = {"lon", "lat", "x", "y", "wkt"}
DUPLICATES = ("refuse", "last", "history")


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
    keep_label: bool = False
    # {status: date column}, in the lifecycle's order: a wide register's history in one row.
    stages: dict[str, str] = field(default_factory=dict)
    duplicates: str = "refuse"
    date_formats: list[str] = field(default_factory=list)
    crs: str | None = None
    geometry: dict[str, str] = field(default_factory=dict)
    person_column: str | None = None
    person_values: list[str] = field(default_factory=list)
    snapshot: bool = False
    max_vanish: float = 0.10
    demo: bool = False
    sheet: str | None = None
    encoding: str | None = None

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
        _known(data, KEYS, "")
        for key in ("layer", "source", "id", "fields"):
            if not data.get(key):
                raise MappingError(f"the mapping needs '{key}'")
        layer = get_layer(data["layer"])
        if layer is None:
            raise MappingError(f"unknown layer '{data['layer']}'")
        status = _section(data, "status", STATUS_KEYS)
        geometry = _section(data, "geometry", GEOMETRY_KEYS)
        _check_fields(layer, data["fields"])
        statuses = [code for code, _ in layer.statuses()]
        _check_statuses(status.get("values") or {}, data.get("stages") or {}, statuses)
        duplicates = str(data.get("duplicates", "refuse"))
        if duplicates not in DUPLICATES:
            raise MappingError(f"duplicates must be one of {', '.join(DUPLICATES)}, not '{duplicates}'")
        if not status.get("column") and not data.get("stages"):
            raise MappingError("the mapping needs a status column ('status: {column: …}') or 'stages'")
        return cls(
            layer=layer.slug,
            source=str(data["source"]),
            id_column=str(data["id"]),
            fields={k: str(v) for k, v in data["fields"].items()},
            status_column=status.get("column"),
            status_date_column=status.get("date"),
            status_values={str(k).strip().casefold(): v for k, v in (status.get("values") or {}).items()},
            keep_label=bool(status.get("keep_label", False)),
            stages={str(k): str(v) for k, v in (data.get("stages") or {}).items()},
            duplicates=duplicates,
            date_formats=[str(f) for f in data.get("date_formats") or []],
            crs=data.get("crs"),
            geometry=geometry,
            person_column=data.get("person_column"),
            person_values=[str(v).strip().casefold() for v in data.get("person_values") or []],
            snapshot=bool(data.get("snapshot", False)),
            max_vanish=float(data.get("max_vanish", 0.10)),
            demo=bool(data.get("demo", False)),
            sheet=data.get("sheet"),
            encoding=_encoding(data.get("encoding")),
        )

    def columns(self) -> set[str]:
        """Every column this mapping reads, to check against the file's header."""
        wanted = {self.id_column, *self.fields.values(), *self.geometry.values(), *self.stages.values()}
        wanted |= {c for c in (self.status_column, self.status_date_column, self.person_column) if c}
        wanted.discard("crs")
        return wanted


def _encoding(name) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(str(name)).name
    except LookupError:
        raise MappingError(f"unknown encoding '{name}' (e.g. utf-8, cp1251, windows-1252)") from None


def _known(data: dict, keys: set[str], where: str):
    unknown = sorted(str(k) for k in data if k not in keys)
    if unknown:
        raise MappingError(
            f"unknown mapping key(s) {', '.join(where + k for k in unknown)}; "
            f"known: {', '.join(where + k for k in sorted(keys))}"
        )


def _section(data: dict, name: str, keys: set[str]) -> dict:
    section = data.get(name) or {}
    if not isinstance(section, dict):
        raise MappingError(f"'{name}' must be a dictionary of keys")
    _known(section, keys, f"{name}.")
    return section


def _check_fields(layer, fields):
    if not isinstance(fields, dict):
        raise MappingError("'fields' must map the layer's field names to columns")
    model_fields = {f.name for f in layer.model._meta.get_fields()}
    unknown = [name for name in fields if name not in model_fields]
    if unknown:
        raise MappingError(f"the layer {layer.slug} has no field(s) {', '.join(unknown)}")


def _check_statuses(values: dict, stages: dict, statuses: list[str]):
    known = ", ".join(statuses)
    bad = {word: code for word, code in values.items() if code not in statuses}
    if bad:
        raise MappingError(
            f"status words map to unknown statuses: {bad}; known: {known}. A word with no fitting status is "
            f"left out of the mapping (its rows are refused), never mapped to a status it does not mean"
        )
    bad_stages = [code for code in stages if code not in statuses]
    if bad_stages:
        raise MappingError(f"stages name unknown statuses: {', '.join(bad_stages)}; known: {known}")
