"""The question engine: how many public items of a layer, filtered and grouped, in a territory and a period.

The answer must equal the plain query, ``SELECT key, count(*) FROM items WHERE … GROUP BY key``
(``plain_counts``: the floor bench/ measures against, and what the property tests compare with), and
be fast on a million items. It is the sum of up to three parts, each counting disjoint items:

1. The grid (stats migration 0001) for the whole months of the period. For the city or a district,
   the rows of level 0; for a shape, the rows of the cells wholly inside it (smartmap.lib.cells.cover).
2. For a shape, the items in the finest cells along its edge (whole months too), one by one with
   ST_Covers. A point is in exactly one finest cell (the same floor arithmetic as the triggers), so
   an edge item is never also counted by the grid.
3. The partial months at either end of the period (layers.tiles.split_months, the rule the tiles
   use), counted from the items with the territory's own condition.

The period is the day the item's current status began (status_since, Tbilisi calendar days), as on
the map's date filter; an item whose status date is unknown belongs to no period.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import connection

from layers.filters import ItemFilters, day_start, where_sql
from layers.tiles import split_months
from smartmap.lib.cells import FINEST
from stats.dimensions import dated_sql, dimensions

GROUPS = ("month", "quarter", "year", "district", "status", "kind", "category")
UNKNOWN_MONTH = date(1, 1, 1)


@dataclass
class LayerFilter:
    statuses: list[str] | None = None
    kinds: list[str] | None = None
    categories: list[str] | None = None


def counts(layer, flt: LayerFilter, territory, date_from, date_to, group: str | None) -> dict:
    """{group key: count} ({"": count} without a group), from the grid and the edge."""
    months, live_ranges = split_months(date_from, date_to)
    parts, params = [], {}
    base_clauses, base_params = item_clauses(layer, flt, territory)
    params.update(base_params)
    if months is not None:
        grid_from, grid_until = months
        if territory.geom is None:
            parts.append(_level0_part(layer, flt, territory, group, grid_from, grid_until, params))
        else:
            parts.append(_cells_part(layer, flt, territory, group, grid_from, grid_until, params))
            parts.append(_edge_part(layer, territory, group, base_clauses, grid_from, grid_until, params))
    for k, (start, end) in enumerate(live_ranges):
        clauses = [
            *base_clauses,
            *territory_clauses(territory, params),
            *period_clauses(layer, start, end, f"live{k}", params),
        ]
        parts.append(
            f"SELECT {_item_key(layer, group)} AS key, count(*) AS n FROM {layer.table} i "
            f"WHERE {' AND '.join(clauses)} GROUP BY 1"
        )
    sql = f"SELECT key, sum(n) FROM ({' UNION ALL '.join(parts)}) parts GROUP BY key HAVING sum(n) <> 0"
    return _fetch(sql, params)


def plain_counts(layer, flt: LayerFilter, territory, date_from, date_to, group: str | None) -> dict:
    """The same answer by counting every item: the reference the engine must equal."""
    params: dict = {}
    clauses, base_params = item_clauses(layer, flt, territory)
    params.update(base_params)
    clauses += territory_clauses(territory, params)
    end = date.fromordinal(date_to.toordinal() + 1) if date_to else None
    clauses += period_clauses(layer, date_from, end, "plain", params)
    sql = f"SELECT {_item_key(layer, group)}, count(*) FROM {layer.table} i WHERE {' AND '.join(clauses)} GROUP BY 1"
    return _fetch(sql, params)


def _fetch(sql: str, params: dict) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: int(n) for key, n in cursor.fetchall()}


def item_clauses(layer, flt: LayerFilter, territory, base: ItemFilters | None = None) -> tuple[list[str], dict]:
    """The public rule, status and district (layers.filters' own SQL), then kind and category.

    `base`: the map API's own filters (bbox, text) to apply too, as the open-data exports do.
    """
    filters = replace(base, statuses=flt.statuses) if base else ItemFilters(statuses=flt.statuses)
    if territory.district_id is not None:
        filters.district, filters.district_id = str(territory.district_id), territory.district_id
    clauses, params = where_sql(layer, filters, dates=False)
    dims = dimensions(layer.slug)
    if flt.kinds is not None:
        clauses.append(f"({dims.kind_sql})::varchar = ANY(%(kinds)s)")
        params["kinds"] = flt.kinds
    if flt.categories is not None:
        clauses.append(f"({dims.category_sql})::varchar = ANY(%(categories)s)")
        params["categories"] = flt.categories
    return clauses, params


def territory_clauses(territory, params) -> list[str]:
    """A shape's condition on the item's point (a district is already in item_clauses)."""
    if territory.geom is None:
        return []
    params["area"] = bytes(territory.geom.ewkb)
    return ["ST_Covers(ST_GeomFromEWKB(%(area)s), i.point)"]


def period_clauses(layer, start: date | None, end: date | None, name: str, params) -> list[str]:
    """status_since in [start, end) as Tbilisi days; open ends allowed; an undated status is in no period."""
    clauses = [f"({dated_sql(layer)})"] if start or end else []
    if start:
        clauses.append(f"i.status_since >= %({name}_from)s")
        params[f"{name}_from"] = day_start(start)
    if end:
        clauses.append(f"i.status_since < %({name}_until)s")
        params[f"{name}_until"] = day_start(end)
    return clauses


def _grid_clauses(flt: LayerFilter, territory, grid_from, grid_until, params) -> list[str]:
    clauses = ["g.layer = %(slug)s"]
    if flt.statuses is not None:
        clauses.append("g.status = ANY(%(statuses)s)")
    if flt.kinds is not None:
        clauses.append("g.kind = ANY(%(kinds)s)")
    if flt.categories is not None:
        clauses.append("g.category = ANY(%(categories)s)")
    if territory.district_id is not None:
        clauses.append("g.district_id = %(district_id)s")
    if grid_from:
        clauses.append("g.month >= %(grid_from)s")
        params["grid_from"] = grid_from
    if grid_until:
        clauses.append("g.month < %(grid_until)s")
        params["grid_until"] = grid_until
    if grid_from or grid_until:  # "date unknown" is in no period, though it sorts before every one
        clauses.append("g.month <> %(unknown_month)s")
        params["unknown_month"] = UNKNOWN_MONTH
    return clauses


def _level0_part(layer, flt, territory, group, grid_from, grid_until, params) -> str:
    params["slug"] = layer.slug
    clauses = ["g.level = 0", *_grid_clauses(flt, territory, grid_from, grid_until, params)]
    return f"SELECT {_grid_key(group)} AS key, sum(g.n) AS n FROM stats_grid g WHERE {' AND '.join(clauses)} GROUP BY 1"


def _cells_part(layer, flt, territory, group, grid_from, grid_until, params) -> str:
    params["slug"] = layer.slug
    params["cell_level"], params["cell_x"], params["cell_y"] = territory.cover.inside_arrays()
    clauses = _grid_clauses(flt, territory, grid_from, grid_until, params)
    # One index probe per inside cell on the grid's primary key (layer, level, cx, cy, …).
    return f"""
        SELECT {_grid_key(group)} AS key, sum(g.n) AS n
        FROM unnest(%(cell_level)s::smallint[], %(cell_x)s::int[], %(cell_y)s::int[]) AS c(clv, ccx, ccy)
        JOIN stats_grid g ON g.level = c.clv AND g.cx = c.ccx AND g.cy = c.ccy
        WHERE {" AND ".join(clauses)} GROUP BY 1"""


def _edge_part(layer, territory, group, base_clauses, grid_from, grid_until, params) -> str:
    boxes = territory.cover.edge_boxes()
    for index, name in enumerate(("edge_x", "edge_y", "edge_w", "edge_s", "edge_e", "edge_n")):
        params[name] = [box[index] for box in boxes]
    clauses = [
        *base_clauses,
        *territory_clauses(territory, params),
        *period_clauses(layer, grid_from, grid_until, "edge", params),
    ]
    # The box probe finds the cell's items through the GiST index on point; the floor test then
    # keeps exactly the items the triggers filed under this cell (a point on a shared border
    # touches two boxes but lies in one cell), so no item is counted twice or by the grid too.
    return f"""
        SELECT {_item_key(layer, group)} AS key, count(*) AS n
        FROM unnest(%(edge_x)s::int[], %(edge_y)s::int[], %(edge_w)s::float8[], %(edge_s)s::float8[],
                    %(edge_e)s::float8[], %(edge_n)s::float8[]) AS e(ecx, ecy, ew, es, ee, en)
        JOIN {layer.table} i ON i.point && ST_MakeEnvelope(e.ew, e.es, e.ee, e.en, 4326)
        WHERE floor(layers_merc_x(i.point) * 2 ^ {FINEST})::int = e.ecx
          AND floor(layers_merc_y(i.point) * 2 ^ {FINEST})::int = e.ecy
          AND {" AND ".join(clauses)}
        GROUP BY 1"""


def _grid_key(group: str | None) -> str:
    return {
        None: "''",
        "month": "g.month",
        "quarter": "date_trunc('quarter', g.month::timestamp)::date",
        "year": "date_trunc('year', g.month::timestamp)::date",
        "district": "g.district_id",
        "status": "g.status",
        "kind": "g.kind",
        "category": "g.category",
    }[group]


def _item_key(layer, group: str | None) -> str:
    # The time zone is a setting, never input; the month as the grid files it (0001-01-01: unknown).
    month = (
        f"coalesce(date_trunc('month', CASE WHEN {dated_sql(layer)} THEN i.status_since END "
        f"AT TIME ZONE '{settings.TIME_ZONE}')::date, "
        f"'{UNKNOWN_MONTH.isoformat()}'::date)"
    )
    dims = dimensions(layer.slug)
    return {
        None: "''",
        "month": month,
        "quarter": f"date_trunc('quarter', {month}::timestamp)::date",
        "year": f"date_trunc('year', {month}::timestamp)::date",
        "district": "coalesce(i.district_id, 0)",
        "status": "i.status::varchar",
        "kind": f"({dims.kind_sql})::varchar",
        "category": f"({dims.category_sql})::varchar",
    }[group]
