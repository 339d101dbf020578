"""Vector tiles of a layer: points up close, counted cells further out, cached in Redis by data version.

Zoom AGGREGATE_BELOW_ZOOM (14) and closer: one MVT feature per public item (id, status, reference),
from ST_AsMVT over the items whose geometry touches the tile. Further out, one feature per cell of
an 8x8 grid in the tile, at the mean position of its items, with `count`, the dominant `status` and
one property per status with its count. The cells come from layers_tile_grid (migration 0003): counts
per cell, status, district and month, kept exact by triggers in the items' own transactions, so a
dense tile at zoom 10 sums a few thousand grid rows instead of counting a million items. from/to
filters use the grid's whole months and count only the partial months at either end from the items.

Caching. A tile's bytes are kept in Redis under (layer, data version, z/x/y, filters). The data
version is a random token in Redis, replaced after every commit that records events for the layer
(events_recorded + on_commit), so a cached tile is answered without touching the database and an
import makes every older tile unreachable at once. A missing version (Redis restarted, key evicted)
becomes a new one, so nothing cached before can be served; with Redis unreachable, tiles come from
the database uncached. Tiles carry an ETag (a hash of their bytes) for 304 answers and
`Cache-Control: public, max-age=60`: browsers may show a tile up to a minute old.

Empty tiles answer 200 with an empty body, which is a valid MVT with no layers (ST_AsMVT's output for
no rows), so clients and caches treat every tile alike.
"""

import hashlib
import logging
import math
import uuid
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext as _

from layers.filters import ItemFilters, ParamErrors, day_start, where_sql
from smartmap.lib.params import parse_int

log = logging.getLogger(__name__)

AGGREGATE_BELOW_ZOOM = 14
GRID_BITS = 3  # 2**3 = 8 cells across a tile: 32 px cells on a 256 px tile
MIN_LEVEL, MAX_LEVEL = GRID_BITS, AGGREGATE_BELOW_ZOOM - 1 + GRID_BITS  # as in migration 0003
MAX_ZOOM = 22
EXTENT, BUFFER = 4096, 64
MERCATOR_HALF = 20037508.342789244  # half the world's width in EPSG:3857 metres
MAX_AGE = 60
CACHE_SECONDS = 3600  # a tile whose version bump was lost (Redis down at that moment) heals within this
MAX_CACHED_BYTES = 16_000_000  # the biggest tiles are the costliest to make: keep them too
MVT_TYPE = "application/vnd.mapbox-vector-tile"


def parse_tile(z: str, x: str, y: str) -> tuple[int, int, int]:
    errors = {}
    values = {}
    for name, raw in (("z", z), ("x", x), ("y", y)):
        try:
            values[name] = parse_int(raw, 0, 2**MAX_ZOOM)
        except ValueError as exc:
            errors[name] = [str(exc)]
    if "z" in values and not 0 <= values["z"] <= MAX_ZOOM:
        errors["z"] = [_("the zoom must be between 0 and %(max)d") % {"max": MAX_ZOOM}]
    elif not errors:
        top = 2 ** values["z"] - 1
        for name in ("x", "y"):
            if not 0 <= values[name] <= top:
                message = _("at zoom %(z)d, %(name)s must be between 0 and %(top)d")
                errors[name] = [message % {"z": values["z"], "name": name, "top": top}]
    if errors:
        raise ParamErrors(errors)
    return values["z"], values["x"], values["y"]


def tile_lonlat_bounds(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile grown by `margin` tiles on each side, in degrees."""
    n = 2**z

    def lon(tx):
        return max(-180.0, min(180.0, tx / n * 360.0 - 180.0))

    def lat(ty):
        ty = max(0.0, min(float(n), ty))
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n))))

    return lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)


def tile_sql(layer, z: int, x: int, y: int, filters: ItemFilters, use_grid: bool | None = None) -> tuple[str, dict]:
    """The one query that makes a tile: what the view runs and what bench/ times as the floor."""
    if z >= AGGREGATE_BELOW_ZOOM:
        if use_grid is not False and too_dense(layer, z, x, y):
            # A city centre at zoom 14-15 can hold 100,000 items of a million: counted cells,
            # computed from those items, instead of a multi-megabyte tile of overlapping dots.
            return _cells_sql(layer, z, x, y, filters, use_grid=False)
        return _points_sql(layer, z, x, y, filters)
    if use_grid is None:
        # The grid knows no words: a text filter counts the matching items one by one (the trigram
        # index finds them), at a cost that grows with how many match.
        use_grid = grid_available(layer) and not filters.q
    return _cells_sql(layer, z, x, y, filters, use_grid)


def render_tile(layer, z: int, x: int, y: int, filters: ItemFilters) -> bytes:
    sql, params = tile_sql(layer, z, x, y, filters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def _points_sql(layer, z, x, y, filters):
    clauses, params = where_sql(layer, filters)
    west, south, east, north = tile_lonlat_bounds(z, x, y, margin=BUFFER / EXTENT)
    params.update(name=layer.slug, z=z, x=x, y=y, west=west, south=south, east=east, north=north)
    # The box test is in EPSG:4326 on the stored geometry so the GiST index on geom finds the rows;
    # only those are transformed to web mercator for ST_AsMVTGeom. The box includes the 64-unit
    # buffer, so a symbol on the edge of a tile is drawn whole on both sides of it. MATERIALIZED:
    # with ST_AsMVTGeom's high declared cost in the same scan, the planner prefers a parallel
    # sequential scan of the whole table (100 ms at 100,000 items) to the index (a few ms).
    extra = "".join(f", {expr} AS {name}" for name, expr in layer.tile_properties.items())
    extra_names = "".join(f", h.{name}" for name in layer.tile_properties)
    sql = f"""
        WITH hits AS MATERIALIZED (
            SELECT i.id, i.status, i.reference, i.geom{extra}
            FROM {layer.table} i
            WHERE i.geom && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
              AND {" AND ".join(clauses)}
        )
        SELECT ST_AsMVT(t, %(name)s, {EXTENT}, 'geom', 'fid') FROM (
            SELECT h.id AS fid, h.id, h.status, h.reference{extra_names},
                   ST_AsMVTGeom(ST_Transform(h.geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
                                {EXTENT}, {BUFFER}, true) AS geom
            FROM hits h
        ) t"""
    return sql, params


def _cells_sql(layer, z, x, y, filters, use_grid):
    level = z + GRID_BITS
    side = 2**GRID_BITS
    params = {"name": layer.slug, "z": z, "x": x, "y": y, "cells": 2**level, "slug": layer.slug, "level": level}
    params.update(cx0=x * side, cx1=x * side + side - 1, cy0=y * side, cy1=y * side + side - 1)
    if use_grid:
        months, live_ranges = split_months(filters.date_from, filters.date_to)
    else:  # every item counted one by one: correct, and slow on a large layer
        months, live_ranges = None, [(filters.date_from, _day_after(filters.date_to))]
    parts = []
    if months is not None:
        parts.append(_grid_part(filters, *months, params))
    if live_ranges:
        parts.append(_live_part(layer, z, x, y, filters, live_ranges, params))
    picked = "\nUNION ALL\n".join(parts) if parts else "SELECT 0, 0, ''::varchar, 0::bigint, 0.0, 0.0 WHERE false"
    # Cells: sum the picked rows per cell and status, then per cell; a cell's feature sits at the
    # mean position of its items, converted from [0, 1) mercator to EPSG:3857 for ST_AsMVTGeom.
    sql = f"""
        WITH picked (cx, cy, status, n, sx, sy) AS ({picked}),
        by_status AS (
            SELECT cx, cy, status, sum(n) AS n, sum(sx) AS sx, sum(sy) AS sy
            FROM picked GROUP BY cx, cy, status HAVING sum(n) > 0
        ),
        cells AS (
            SELECT cx, cy, sum(n)::int AS count, sum(sx) / sum(n) AS mx, sum(sy) / sum(n) AS my,
                   (array_agg(status ORDER BY n DESC, status))[1] AS status, jsonb_object_agg(status, n) AS statuses
            FROM by_status GROUP BY cx, cy
        )
        SELECT ST_AsMVT(t, %(name)s, {EXTENT}, 'geom', 'fid') FROM (
            SELECT cy::bigint * %(cells)s + cx AS fid, count, status, statuses,
                   ST_AsMVTGeom(ST_Point((mx * 2 - 1) * {MERCATOR_HALF}, (1 - 2 * my) * {MERCATOR_HALF}, 3857),
                                ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {EXTENT}, 0, true) AS geom
            FROM cells
        ) t"""
    return sql, params


def _grid_part(filters, grid_from, grid_until, params) -> str:
    clauses = ["layer = %(slug)s", "level = %(level)s"]
    clauses += ["cx BETWEEN %(cx0)s AND %(cx1)s", "cy BETWEEN %(cy0)s AND %(cy1)s"]
    if filters.statuses is not None:
        clauses.append("status = ANY(%(statuses)s)")
        params["statuses"] = filters.statuses
    if filters.district is not None:
        clauses.append("district_id = %(district_id)s")
        params["district_id"] = filters.district_id
    if grid_from:
        clauses.append("month >= %(grid_from)s")
        params["grid_from"] = grid_from
    if grid_until:
        clauses.append("month < %(grid_until)s")
        params["grid_until"] = grid_until
    return f"SELECT cx, cy, status, n::bigint, sx, sy FROM layers_tile_grid WHERE {' AND '.join(clauses)}"


def _live_part(layer, z, x, y, filters, live_ranges, params) -> str:
    """Items counted one by one: the partial months of a from/to filter, or a layer without a grid."""
    clauses, where_params = where_sql(layer, filters, dates=False)
    params.update(where_params)
    west, south, east, north = tile_lonlat_bounds(z, x, y)
    params.update(west=west, south=south, east=east, north=north)
    ranges = []
    for k, (start, end) in enumerate(live_ranges):
        bounds = []
        if start:
            bounds.append(f"i.status_since >= %(live_from_{k})s")
            params[f"live_from_{k}"] = day_start(start)
        if end:
            bounds.append(f"i.status_since < %(live_until_{k})s")
            params[f"live_until_{k}"] = day_start(end)
        ranges.append("(" + (" AND ".join(bounds) or "true") + ")")
    clauses.append("(" + " OR ".join(ranges) + ")")
    # Same cell arithmetic as the grid triggers (layers_merc_x/y on the representative point).
    return f"""
        SELECT cx, cy, status, 1::bigint, x, y FROM (
            SELECT floor(x * %(cells)s)::int AS cx, floor(y * %(cells)s)::int AS cy, status, x, y FROM (
                SELECT i.status, layers_merc_x(i.point) AS x, layers_merc_y(i.point) AS y
                FROM {layer.table} i
                WHERE i.point && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)
                  AND {" AND ".join(clauses)}
            ) located
        ) live
        WHERE cx BETWEEN %(cx0)s AND %(cx1)s AND cy BETWEEN %(cy0)s AND %(cy1)s"""


def split_months(date_from: date | None, date_to: date | None):
    """How a from/to filter is answered: (months from the grid, [day ranges counted from the items]).

    Months are (first, after) with None for open ends, or None when the grid has no whole month to
    give; day ranges are [start, end) dates. The whole months come from the grid, the partial ones
    at either end from the items: at most a month or so of them at each end.
    """
    end = _day_after(date_to)
    first = None if date_from is None else (date_from if date_from.day == 1 else _next_month(date_from))
    after = None if end is None else end.replace(day=1)
    if first and after and first >= after:
        return None, [(date_from, end)]
    live = []
    if date_from and date_from < first:
        live.append((date_from, first))
    if end and after < end:
        live.append((after, end))
    return (first, after), live


def _day_after(day: date | None) -> date | None:
    return date.fromordinal(day.toordinal() + 1) if day else None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


_grid_tables: set | None = None
# Above this many items a tile at a points zoom is drawn as counted cells instead.
MAX_POINTS_PER_TILE = 5000


def too_dense(layer, z: int, x: int, y: int) -> bool:
    """Does the tile hold more than MAX_POINTS_PER_TILE public items? Read from the grid's finest
    level (one indexed query), ignoring filters: an upper bound, which is what a guard needs."""
    if not grid_available(layer):
        return False
    if z <= MAX_LEVEL:
        span = 2 ** (MAX_LEVEL - z)
        cx0, cy0, cx1, cy1 = x * span, y * span, (x + 1) * span - 1, (y + 1) * span - 1
    else:  # the tile lies inside one finest cell: that cell's count bounds it
        cx0 = cx1 = x >> (z - MAX_LEVEL)
        cy0 = cy1 = y >> (z - MAX_LEVEL)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n), 0) FROM layers_tile_grid WHERE layer = %s AND level = %s "
            "AND cx BETWEEN %s AND %s AND cy BETWEEN %s AND %s",
            [layer.slug, MAX_LEVEL, cx0, cx1, cy0, cy1],
        )
        return cursor.fetchone()[0] > MAX_POINTS_PER_TILE


def grid_available(layer) -> bool:
    """Whether the layer's table has the grid triggers (built-in layers do; a new one needs its migration)."""
    global _grid_tables
    if _grid_tables is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'layers_grid_insert'")
            _grid_tables = {row[0] for row in cursor.fetchall()}
    return layer.table in _grid_tables


def rebuild_grid(layer) -> int:
    """Recompute a layer's grid from its items (after a bulk load with triggers off); returns cells written."""
    from django.conf import settings

    with transaction.atomic(), connection.cursor() as cursor:
        # SHARE lock: writers wait until the new grid commits, so no trigger delta lands in a grid
        # that is being replaced. Readers go on, seeing the old grid until then.
        cursor.execute(f"LOCK TABLE {layer.table} IN SHARE MODE")
        cursor.execute("DELETE FROM layers_tile_grid WHERE layer = %s", [layer.slug])
        # The finest level from the items in one pass; every coarser level from the one below it
        # (a cell's parent is (cx >> 1, cy >> 1)), which reads thousands of rows instead of millions.
        cursor.execute(
            f"""
            INSERT INTO layers_tile_grid (layer, level, cx, cy, status, district_id, month, n, sx, sy)
            SELECT %(slug)s, %(level)s, floor(x * 2 ^ %(level)s)::int, floor(y * 2 ^ %(level)s)::int, status,
                   district_id, month, count(*), sum(x), sum(y)
            FROM (SELECT status, coalesce(district_id, 0) AS district_id,
                         date_trunc('month', status_since AT TIME ZONE %(tz)s)::date AS month,
                         layers_merc_x(point) AS x, layers_merc_y(point) AS y
                  FROM {layer.table} WHERE {layer.public_sql}) items
            GROUP BY 3, 4, 5, 6, 7""",
            {"slug": layer.slug, "level": MAX_LEVEL, "tz": settings.TIME_ZONE},
        )
        total = cursor.rowcount
        for level in range(MAX_LEVEL - 1, MIN_LEVEL - 1, -1):
            cursor.execute(
                """
                INSERT INTO layers_tile_grid (layer, level, cx, cy, status, district_id, month, n, sx, sy)
                SELECT layer, %(level)s, cx >> 1, cy >> 1, status, district_id, month, sum(n), sum(sx), sum(sy)
                FROM layers_tile_grid WHERE layer = %(slug)s AND level = %(level)s + 1
                GROUP BY layer, 3, 4, status, district_id, month""",
                {"slug": layer.slug, "level": level},
            )
            total += cursor.rowcount
    transaction.on_commit(lambda: bump_versions([layer.slug]))
    return total


def layer_counts(layers) -> dict[str, dict[str, int]]:
    """{slug: {status: public items}}: from the grid's coarsest level when the layer has one."""
    counts = {layer.slug: {} for layer in layers}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT layer, status, sum(n) FROM layers_tile_grid WHERE level = %s GROUP BY 1, 2 HAVING sum(n) > 0",
            [MIN_LEVEL],
        )
        for slug, status, n in cursor.fetchall():
            if slug in counts:
                counts[slug][status] = int(n)
        for layer in layers:
            if not grid_available(layer):
                cursor.execute(f"SELECT status, count(*) FROM {layer.table} WHERE {layer.public_sql} GROUP BY 1")
                counts[layer.slug] = dict(cursor.fetchall())
    return counts


# --- The tile cache --------------------------------------------------------------------------------

VERSION_KEY = "layers:data-version:%s"
COUNTS_KEY = "layers:counts"  # the layer list's counts, dropped with every version bump


def _redis():
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def data_version(slug: str) -> str | None:
    """The layer's data version in Redis; a new one when missing; None when Redis can't be reached."""
    from redis.exceptions import RedisError

    key = cache.make_key(VERSION_KEY % slug)
    try:
        conn = _redis()
        version = conn.get(key)
        if version is None:
            # Never set, or lost with Redis's data: tiles cached under an older version must not be
            # served, so start a new one. nx: concurrent first requests settle on the same token.
            conn.set(key, uuid.uuid4().hex, nx=True)
            version = conn.get(key)
    except (RedisError, OSError):
        log.warning("Redis unreachable: serving %s tiles uncached", slug)
        return None
    return version.decode() if isinstance(version, bytes) else version


def bump_versions(slugs) -> None:
    from redis.exceptions import RedisError

    try:
        conn = _redis()
        for slug in sorted(set(slugs)):
            conn.set(cache.make_key(VERSION_KEY % slug), uuid.uuid4().hex)
        conn.delete(cache.make_key(COUNTS_KEY))
    except (RedisError, OSError):
        log.warning("Redis unreachable: could not expire the cached tiles of %s", ", ".join(slugs))


def on_events_recorded(sender, events, **kwargs):
    """events_recorded receiver (connected in LayersConfig.ready): expire the changed layers' tiles."""
    slugs = {event.layer for event in events}
    # After commit, never before: a request between the bump and the commit would cache the old
    # data under the new version. Requests read the version before the database, so once the
    # bump is seen the committed data is too.
    transaction.on_commit(lambda: bump_versions(slugs))


def tile_cache_key(slug, version, z, x, y, filters: ItemFilters) -> str:
    return f"tile:{slug}:{version}:{z}/{x}/{y}:{filters.cache_key()}"


def etag_of(data: bytes) -> str:
    return f'"{hashlib.blake2b(data, digest_size=12).hexdigest()}"'


def cached_tile(key: str | None):
    """(etag, bytes) from Redis, or None; the default cache ignores Redis errors."""
    return cache.get(key) if key else None


def store_tile(key: str | None, etag: str, data: bytes, seconds: int = CACHE_SECONDS) -> None:
    if key and len(data) <= MAX_CACHED_BYTES:
        cache.set(key, (etag, data), min(seconds, CACHE_SECONDS))
