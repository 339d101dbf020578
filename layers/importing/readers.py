"""Read a register file into numbered rows: CSV (with or without BOM), XLSX, JSON records, or any vector file.

Row numbers are what a person sees: in CSV and XLSX the header is row 1 and data starts at row 2;
in vector files and JSON records the first feature or record is row 1. Spatial files carry their
geometry (reprojected to EPSG:4326); tabular ones leave it to the mapping (lon/lat or WKT columns).

CSV is UTF-8 (Excel's BOM is dropped) unless the mapping names another encoding (``encoding:
cp1251``, what older Windows systems export): guessing an encoding would import mojibake silently.
JSON records (``read_records``) are a list of flat objects, the shape of an Open311 GeoReport v2
``requests.json``, or an object holding one such list.
"""

import csv
import io
import json
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


def read_rows(path, *, sheet: str | None = None, source_crs=None, encoding=None) -> tuple[list[str], list[Row]]:
    path = Path(path)
    if not path.exists():
        raise GeoFileError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(path, encoding)
    if suffix == ".xlsx":
        return _read_xlsx(path, sheet)
    return _read_vector(path, source_crs)


def _read_csv(path: Path, encoding: str | None = None):
    raw = path.read_bytes()
    try:
        # The BOM Excel writes is dropped here (utf-8-sig), and a UTF-8 BOM under a named encoding too.
        text = raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError:
        if encoding:
            raise GeoFileError(f"{path.name} is not {encoding} text") from None
        raise GeoFileError(
            f"{path.name} is not UTF-8 text; save it as CSV UTF-8, or name its encoding in the mapping "
            f"(encoding: cp1251)"
        ) from None
    text = text.removeprefix("\ufeff")
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


def read_records(path) -> tuple[list[str], list[Row]]:
    """A JSON list of flat objects (an Open311 GeoReport v2 requests.json) into rows numbered from 1."""
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise GeoFileError(f"cannot read {path.name}: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise GeoFileError(f"{path.name} is not JSON: {str(exc).splitlines()[0]}") from None
    if isinstance(data, dict):  # {"service_requests": [...]} and the like: the one list inside
        lists = [value for value in data.values() if isinstance(value, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list):
        raise GeoFileError(f"{path.name} is not a list of records (an Open311 requests.json is one)")
    if len(data) > MAX_ROWS:
        raise GeoFileError(f"{path.name} has more than {MAX_ROWS} rows")
    header, rows = {}, []
    for number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise GeoFileError(f"{path.name}: record {number} is not an object")
        values = {str(k): _blank(v) for k, v in record.items() if not isinstance(v, (dict, list))}
        header.update(dict.fromkeys(values))
        rows.append(Row(number, values))
    return list(header), rows


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
