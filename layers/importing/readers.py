"""Read a register file into numbered rows: CSV (with or without BOM), XLSX, or any vector file.

Row numbers are what a person sees: in CSV and XLSX the header is row 1 and data starts at row 2;
in vector files the first feature is row 1. Spatial files carry their geometry (reprojected to
EPSG:4326); tabular files leave it to the mapping (lon/lat or WKT columns).
"""

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zipfile import BadZipFile

from smartmap.lib.geofiles import GeoFileError, read_vector_file

TABULAR = {".csv", ".txt", ".xlsx"}
MAX_ROWS = 2_000_000


@dataclass
class Row:
    number: int
    values: dict
    geom: object = None  # shapely geometry in EPSG:4326, from spatial files only


def read_rows(path, *, sheet: str | None = None, source_crs=None) -> tuple[list[str], list[Row]]:
    path = Path(path)
    if not path.exists():
        raise GeoFileError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    return _read_vector(path, source_crs)


def _read_csv(path: Path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # the BOM Excel writes is dropped here
    except UnicodeDecodeError:
        raise GeoFileError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8") from None
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise GeoFileError(f"{path.name} is empty") from None
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise GeoFileError(f"{path.name} has more than {MAX_ROWS} rows")
        rows.append(Row(number, {h: _blank(v) for h, v in zip(header, values, strict=False)}))
    return header, rows


def _read_xlsx(path: Path, sheet: str | None):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise GeoFileError(f"{path.name} is not a readable Excel (.xlsx) file: {exc}") from None
    if sheet and sheet not in book.sheetnames:
        raise GeoFileError(f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
    table = book[sheet] if sheet else book.worksheets[0]
    lines = table.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(lines)]
    except StopIteration:
        raise GeoFileError(f"{path.name} is empty") from None
    rows = []
    for number, values in enumerate(lines, start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append(Row(number, {h: _blank(v) for h, v in zip(header, values, strict=False) if h}))
    book.close()
    return header, rows


def _read_vector(path: Path, source_crs):
    frame = read_vector_file(path, source_crs=source_crs, allow_empty_geometries=True)
    header = [c for c in frame.columns if c != "geometry"]
    rows = []
    for number, (values, geom) in enumerate(zip(frame[header].to_dict("records"), frame.geometry, strict=True), 1):
        rows.append(
            Row(number, {k: _blank(v) for k, v in values.items()}, None if geom is None or geom.is_empty else geom)
        )
    return header, rows


def _blank(value):
    """Empty cells, NaN and pandas' NaT all become None; text is stripped; dates stay dates."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_pydatetime"):
        # pandas' NaT (an empty date cell of a GIS file) is "not a time", not a time.
        if value != value:
            return None
        try:
            return value.to_pydatetime()
        except ValueError:
            return None
    if isinstance(value, (datetime, date, int, float)):
        return value
    text = str(value).strip()
    return text or None
