"""Writing a dataset as CSV, GeoJSON or GeoPackage with memory that does not grow with the data.

Rows come from a server-side cursor in chunks of CHUNK (PostgreSQL keeps the result; Python holds
one chunk), inside one transaction, so a million items are read from one consistent snapshot and
a cursor without WITH HOLD streams instead of materialising the whole result first. CSV and
GeoJSON are written chunk by chunk into the response as they are read (StreamingHttpResponse);
a GeoPackage is an SQLite file that cannot be streamed while written, so it is appended to a
temporary file GPKG_CHUNK rows at a time (geopandas/pyogrio) and sent when complete.

What a file holds is the dataset's dictionary (opendata.dictionary), and nothing else; CSV adds
lon and lat (the representative point) and WKT of a spatial dataset's geometry, GeoJSON and
GeoPackage carry the geometry itself (WGS 84).
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from opendata.filters import Selection

CHUNK = 5000
GPKG_CHUNK = 20_000
PRECISION = 6  # decimal degrees, about 10 cm: as the map's GeoJSON
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


def _geometry_sql(fmt: str) -> list[str]:
    return {
        "csv": ["ST_X(i.point)", "ST_Y(i.point)", f"ST_AsText(i.geom, {PRECISION})"],
        "geojson": [f"ST_AsGeoJSON(i.geom, {PRECISION})"],
        "gpkg": ["ST_AsBinary(i.geom)"],
    }[fmt]


def items_sql(dataset, selection: Selection, fmt: str) -> tuple[str, dict]:
    """The one query of an item dataset's export: its allowed fields, filtered, oldest first."""
    columns = [f.sql or "NULL" for f in dataset.fields] + (_geometry_sql(fmt) if dataset.spatial else [])
    where = " AND ".join(selection.clauses) or "true"
    sql = (
        f"SELECT {', '.join(columns)} FROM {dataset.layer.table} i "
        f"LEFT JOIN places_district d ON d.id = i.district_id {dataset.joins} "
        f"WHERE {where} ORDER BY i.id"
    )
    return sql, selection.params


def chunks(dataset, selection: Selection, fmt: str, size: int = CHUNK) -> Iterator[list[tuple]]:
    """Lists of up to `size` rows: the dictionary's fields in order, then the format's geometry."""
    context = dataset.prepare() if dataset.prepare else None
    computed = [(i, f) for i, f in enumerate(dataset.fields) if f.compute]
    for rows in _raw_chunks(dataset, selection, fmt, size):
        if computed:
            rows = [_complete(dataset, row, computed, context) for row in rows]
        yield rows


def _raw_chunks(dataset, selection, fmt, size):
    with transaction.atomic():
        if dataset.layer is None:
            from layers.models import Event

            events = Event.objects.public().filter(**selection.lookups).order_by("id")
            rows = events.values_list(*(f.sql for f in dataset.fields)).iterator(chunk_size=size)
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == size:
                    yield batch
                    batch = []
            if batch:
                yield batch
            return
        sql, params = items_sql(dataset, selection, fmt)
        # A named (server-side) cursor; inside the transaction it is not WITH HOLD, so PostgreSQL
        # streams it rather than computing the whole result at DECLARE.
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield rows


def _complete(dataset, row, computed, context):
    values = dict(zip(dataset.names, row, strict=False))
    row = list(row)
    for index, f in computed:
        row[index] = f.compute(values, context)
    return row


# --- CSV -------------------------------------------------------------------------------------------


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value) if not isinstance(value, float) else repr(value)


def csv_stream(dataset, rows: Iterator[list[tuple]]) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180, comma, a header row, no byte-order mark), one chunk of rows per piece."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.columns)
    yield out.getvalue().encode()
    for chunk in rows:
        out.seek(0)
        out.truncate()
        writer.writerows([csv_text(v) for v in row] for row in chunk)
        yield out.getvalue().encode()


# --- GeoJSON ---------------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def geojson_stream(dataset, rows: Iterator[list[tuple]]) -> Iterator[bytes]:
    """A FeatureCollection with the licence as a foreign member; a table without geometry has null ones."""
    names = dataset.names
    head = {"type": "FeatureCollection", "name": dataset.slug, "licence": licence()}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[').encode()
    first = True
    for chunk in rows:
        parts = []
        for row in chunk:
            properties = json.dumps(dict(zip(names, row, strict=False)), ensure_ascii=False, default=_json_value)
            geometry = (row[len(names)] or "null") if dataset.spatial else "null"
            ident = row[0] if isinstance(row[0], int) and "id" == names[0] else "null"
            parts.append(f'{{"type":"Feature","id":{ident},"geometry":{geometry},"properties":{properties}}}')
        if parts:
            yield (("" if first else ",") + ",".join(parts)).encode()
            first = False
    yield b"]}"


# --- GeoPackage ------------------------------------------------------------------------------------


def write_gpkg(dataset, rows: Iterator[list[tuple]], path) -> int:
    """Append the rows to a new GeoPackage at `path`, GPKG_CHUNK at a time; returns how many."""
    import pyogrio

    count, buffer, written = 0, [], False
    for chunk in rows:
        buffer.extend(chunk)
        if len(buffer) >= GPKG_CHUNK:
            _append(pyogrio, dataset, buffer, path, written)
            count, buffer, written = count + len(buffer), [], True
    if buffer or not written:
        _append(pyogrio, dataset, buffer, path, written)
        count += len(buffer)
    return count


PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


def _frame(dataset, rows):
    import pandas as pd

    columns = {}
    for index, f in enumerate(dataset.fields):
        values = [row[index] for row in rows]
        if f.type == "datetime":
            columns[f.name] = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
        elif f.type in PANDAS_TYPES:
            columns[f.name] = pd.array(values, dtype=PANDAS_TYPES[f.type])
        else:
            columns[f.name] = pd.array([None if v is None else csv_text(v) for v in values], dtype=object)
    return pd.DataFrame(columns)


def _append(pyogrio, dataset, rows, path, append: bool):
    frame = _frame(dataset, rows)
    options = {"layer": dataset.slug, "driver": "GPKG", "append": append}
    if dataset.spatial:
        import geopandas
        import shapely

        geometry = shapely.from_wkb(
            [bytes(row[len(dataset.fields)]) if row[len(dataset.fields)] else None for row in rows]
        )
        frame = geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
        options["geometry_type"] = "Unknown"  # points, lines and areas in one layer
    pyogrio.write_dataframe(frame, str(path), **options)


# --- Licence ---------------------------------------------------------------------------------------


def licence() -> dict:
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def link_header() -> str:
    return f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"'
