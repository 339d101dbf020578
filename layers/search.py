"""The map's search box: reference numbers, cadastral codes, places and words, in one short list.

The order says what a person most likely meant: an item whose reference or cadastral code starts
with what they typed, then places (streets, squares, districts) from the gazetteer, then items whose
text contains it. Places match in any script: the gazetteer keeps a lower-case Latin
transliteration of each Georgian name beside the English one, and the query is transliterated the
same way, so "rustaveli", "Rustaveli" and "რუსთაველი" find the same avenue.
"""

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from layers.features import district_name_column, item_path_sql
from layers.filters import has_cadastral_codes, like_escape, search_expression
from layers.geocoder import geocode
from layers.models import GazetteerEntry
from layers.registry import all_layers, get_layer
from places.models import District
from smartmap.lib.translit import transliterate

LIMIT = 10
MAX_EXACT = 5
MIN_TEXT_LENGTH = 3  # trigram indexes need three characters; shorter words would read every item


def search(q: str) -> list[dict]:
    results = _by_reference(q)[:MAX_EXACT]
    results += _places(q, LIMIT - len(results))
    if len(results) < LIMIT and len(q) >= MIN_TEXT_LENGTH:
        seen = {(r["layer"], r["id"]) for r in results if r["type"] == "item"}
        more = [r for r in _by_text(q, LIMIT) if (r["layer"], r["id"]) not in seen]
        results += more[: LIMIT - len(results)]
    if len(results) < LIMIT // 2:
        results += geocode(q, LIMIT - len(results))  # only when configured; see layers/geocoder.py
    return results


def _union(layers, select) -> tuple[str, dict]:
    """One UNION ALL over the layers' tables; `select(layer, k)` gives (sql, params) for one layer."""
    parts, params = [], {}
    for k, layer in enumerate(layers):
        sql, layer_params = select(layer, k)
        parts.append(f"({sql})")
        params.update(layer_params)
    return " UNION ALL ".join(parts), params


def _item_select(layer, k: int, condition: str, order: str, limit: int) -> tuple[str, dict]:
    path, path_params = item_path_sql(layer)
    params = {f"{name}_{k}": value for name, value in path_params.items()}
    path = path.replace("%(path_before)s", f"%(path_before_{k})s").replace("%(path_after)s", f"%(path_after_{k})s")
    params[f"slug_{k}"] = layer.slug
    sql = f"""
        SELECT %(slug_{k})s AS layer, i.id, i.reference, i.title, i.address, {path} AS url,
               ST_X(i.point) AS lon, ST_Y(i.point) AS lat, {order} AS rank, i.status_since
        FROM {layer.table} i
        WHERE ({layer.public_sql}) AND {condition}
        ORDER BY rank, i.status_since DESC, i.id DESC LIMIT {int(limit)}"""
    return sql, params


def _by_reference(q: str) -> list[dict]:
    def select(layer, k):
        # Upper-case prefix: served by the upper(reference) text_pattern_ops index (migration 0004);
        # the cadastral code by the GIN index on the array. Exact references rank first.
        condition = "upper(i.reference) LIKE upper(%(prefix)s)"
        if has_cadastral_codes(layer):
            condition = f"({condition} OR i.cadastral_codes @> ARRAY[%(code)s]::varchar[])"
        rank = "CASE WHEN upper(i.reference) = upper(%(code)s) THEN 0 ELSE length(i.reference) END"
        return _item_select(layer, k, condition, rank, MAX_EXACT)

    sql, params = _union(all_layers(), select)
    params.update(prefix=like_escape(q) + "%", code=q)
    return _items(f"SELECT * FROM ({sql}) found ORDER BY rank, reference LIMIT {MAX_EXACT}", params)


def _by_text(q: str, limit: int) -> list[dict]:
    def select(layer, k):
        # The same expression as the trigram index on the layer's search fields (migration 0004).
        return _item_select(layer, k, f"{search_expression(layer)} ILIKE %(like)s", "1", limit)

    sql, params = _union(all_layers(), select)
    params["like"] = f"%{like_escape(q)}%"
    return _items(f"SELECT * FROM ({sql}) found ORDER BY status_since DESC LIMIT {int(limit)}", params)


def _items(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = []
    for slug, pk, reference, title, address, url, lon, lat, _rank, _since in rows:
        layer = get_layer(slug)
        sublabel = " · ".join(part for part in (title if reference else "", address, str(layer.name)) if part)
        results.append(
            {
                "type": "item",
                "label": reference or title,
                "sublabel": sublabel,
                "layer": slug,
                "id": pk,
                "url": url,
                "lon": lon,
                "lat": lat,
            }
        )
    return results


def _places(q: str, limit: int) -> list[dict]:
    if limit <= 0:
        return []
    latin = transliterate(q).strip()
    results = [_district_result(d) for text, d in _districts() if latin in text][:limit]
    # search_text LIKE '%…%' is served by the trigram GIN index (gazetteer_trgm_idx); names that start
    # with the query come first, then the closest by trigram word similarity.
    sql = f"""
        SELECT g.name_ka, g.name_en, g.kind, d.{district_name_column()},
               ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
               CASE WHEN GeometryType(g.geom) <> 'POINT'
                    THEN ARRAY[ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)] END
        FROM layers_gazetteerentry g LEFT JOIN places_district d ON d.id = g.district_id
        WHERE g.search_text LIKE %(like)s
        ORDER BY g.search_text LIKE %(prefix)s DESC, word_similarity(%(latin)s, g.search_text) DESC, g.name_ka
        LIMIT %(limit)s"""
    params = {"like": f"%{like_escape(latin)}%", "prefix": like_escape(latin) + "%", "latin": latin}
    with connection.cursor() as cursor:
        cursor.execute(sql, dict(params, limit=limit - len(results)))
        rows = cursor.fetchall()
    return results + [_place_result(*row) for row in rows]


def _districts():
    return [(transliterate(" ".join((d.name_ka, d.name_en))), d) for d in District.objects.all()]


def _district_result(district) -> dict:
    extent = district.geom.extent
    centre = district.geom.point_on_surface
    return {
        "type": "place",
        "label": district.name,
        "sublabel": _("district"),
        "lon": centre.x,
        "lat": centre.y,
        "bbox": list(extent),
    }


def _place_result(name_ka, name_en, kind, district, lon, lat, bbox) -> dict:
    english = get_language() == "en" and name_en
    kinds = dict(GazetteerEntry.Kind.choices)
    result = {
        "type": "place",
        "label": name_en if english else name_ka,
        "sublabel": " · ".join(str(p) for p in (kinds.get(kind, kind), district) if p),
        "lon": lon,
        "lat": lat,
    }
    if bbox:
        result["bbox"] = bbox
    return result
