"""GeoJSON of a layer's public items, built by PostgreSQL, and counts inside a drawn area.

A page of the feature list is one query: PostgreSQL filters, orders, paginates and writes the
features' JSON (json_build_object, ST_AsGeoJSON), and Python only wraps the array it returns in the
FeatureCollection with its `next` link. Serialising a thousand rows through Python objects would
cost more than finding them.
"""

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connection
from django.utils.translation import get_language

from layers.filters import ItemFilters, where_sql

_SENTINEL_ID = 987654321
_SENTINEL_SLUG = "zz-item-slug-zz"
GEOJSON_PRECISION = 6  # decimal degrees: about 10 cm, plenty for a map and a third of the bytes of 15


def item_path_sql(layer, alias: str = "i") -> tuple[str, dict]:
    """SQL for the item page's path in the active language, from the model's own get_absolute_url()."""
    probe = layer.model(pk=_SENTINEL_ID)
    if any(f.name == "slug" for f in layer.model._meta.fields):
        probe.slug = _SENTINEL_SLUG
    path = probe.get_absolute_url()
    column, sentinel = ("slug", _SENTINEL_SLUG) if _SENTINEL_SLUG in path else ("id", str(_SENTINEL_ID))
    before, after = path.split(sentinel, 1)
    return f"(%(path_before)s || {alias}.{column} || %(path_after)s)", {"path_before": before, "path_after": after}


def district_name_column() -> str:
    return "name_en" if get_language() == "en" else "name_ka"


def status_labels(layer) -> str:
    return json.dumps({code: str(label) for code, label in layer.statuses()}, ensure_ascii=False)


def collection_sql(layer, filters: ItemFilters, limit: int, offset: int) -> tuple[str, dict]:
    """(features JSON array as text, whether more follow) for one page: the app's query and bench's floor."""
    clauses, params = where_sql(layer, filters)
    path, path_params = item_path_sql(layer, "p")
    params.update(path_params, limit=limit, fetch=limit + 1, offset=offset, labels=status_labels(layer))
    slug_column = ", i.slug" if "slug" in path else ""
    # An undated status (imported without a date) is published as null, never as the import's time.
    dated = any(f.name == "status_date_known" for f in layer.model._meta.fields)
    known_column = ", i.status_date_known" if dated else ""
    since = "CASE WHEN p.status_date_known THEN p.status_since END" if dated else "p.status_since"
    # One row more than the page tells whether there is a next page without counting them all.
    sql = f"""
        WITH page AS (
            SELECT i.id, i.geom, i.reference, i.title, i.status, i.status_since,
                   i.district_id{slug_column}{known_column}
            FROM {layer.table} i
            WHERE {" AND ".join(clauses)}
            ORDER BY i.status_since DESC, i.id DESC
            LIMIT %(fetch)s OFFSET %(offset)s
        ),
        numbered AS (SELECT p.*, row_number() OVER (ORDER BY p.status_since DESC, p.id DESC) AS n FROM page p)
        SELECT coalesce(json_agg(json_build_object(
                   'type', 'Feature',
                   'id', p.id,
                   'geometry', ST_AsGeoJSON(p.geom, {GEOJSON_PRECISION})::json,
                   'properties', json_build_object(
                       'id', p.id, 'reference', p.reference, 'title', p.title,
                       'status', p.status, 'status_label', %(labels)s::jsonb ->> p.status,
                       'status_since', {since}, 'district', d.{district_name_column()}, 'url', {path})
               ) ORDER BY p.n) FILTER (WHERE p.n <= %(limit)s), '[]')::text,
               count(*) > %(limit)s
        FROM numbered p LEFT JOIN places_district d ON d.id = p.district_id"""
    return sql, params


def feature_page(layer, filters: ItemFilters, limit: int, offset: int) -> tuple[str, bool]:
    sql, params = collection_sql(layer, filters, limit, offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        features, more = cursor.fetchone()
    return features, more


def collection_text(features: str, links: dict) -> str:
    """The FeatureCollection around the array PostgreSQL wrote, with the paging links as members."""
    members = "".join(f",{json.dumps(name)}:{json.dumps(value)}" for name, value in links.items())
    return '{"type":"FeatureCollection","features":' + features + members + "}"


def public_items(layer):
    """The layer's items the public may see, by the registry's own rule."""
    return layer.public_items()


def public_item(layer, pk: int):
    """One public item with its geometry as GeoJSON text, or None."""
    items = public_items(layer).select_related("district").annotate(geojson=AsGeoJSON("geom", precision=6))
    return items.filter(pk=pk).first()


def count_in_area(layer, area, filters: ItemFilters) -> dict[str, int]:
    """{status: n} of the public items touching `area` (a GEOS geometry in EPSG:4326)."""
    clauses, params = where_sql(layer, filters)
    params["area"] = bytes(area.ewkb)
    # ST_Intersects on geom: an area counts a project whose road crosses it, not only its middle.
    # PostGIS prepares the drawn area once for all the rows the GiST index hands it.
    sql = f"""
        SELECT i.status, count(*) FROM {layer.table} i
        WHERE ST_Intersects(i.geom, ST_GeomFromEWKB(%(area)s)) AND {" AND ".join(clauses)}
        GROUP BY i.status ORDER BY i.status"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {status: n for status, n in cursor.fetchall()}
