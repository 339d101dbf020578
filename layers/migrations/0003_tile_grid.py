"""The tile grid: per-layer counts of public items in map cells, kept exact by statement triggers.

Vector tiles below ``layers.tiles.AGGREGATE_BELOW_ZOOM`` show one feature per cell (an 8x8 grid in
each tile) instead of points. Counting a million points per tile request is far too slow, so the
counts are precomputed here for every zoom's cell level (level = zoom + 3), split by status, district
and month of status_since, so the tile filters (status, district, from/to) select rows instead of
items.

Why triggers and not a refresh after imports: the grid is then changed in the same transaction as
the items, by every writer (import core, admin, a fix in psql), so it can never drift from them and
no refresh can be lost when a worker dies. They are statement-level with transition tables: an
import batch of 2,000 rows costs one grouped upsert, not 2,000. ``layers.tiles.rebuild_grid`` does
the same from scratch, for bulk loads that disable triggers (bench/) and as a repair tool.

The grid is not a Django model: nothing in Python writes it, and flush() leaves it alone, which is
why the TRUNCATE trigger clears a layer's cells when its table is truncated (transactional tests).
"""

from django.db import migrations

# (layer slug, table): the built-in layers. A layer added later (Fix-Tbilisi's reports) gets the same
# triggers from its own migration, with its own public condition.
LAYERS = [
    ("construction-permits", "layers_constructionpermit"),
    ("tree-permits", "layers_treepermit"),
    ("projects", "layers_infrastructureproject"),
]
PUBLIC_SQL = "withdrawn_at IS NULL"
# Cell levels for zooms 0..13 (layers.tiles: GRID_BITS = 3, AGGREGATE_BELOW_ZOOM = 14).
MIN_LEVEL, MAX_LEVEL = 3, 16
TIME_ZONE = "Asia/Tbilisi"

FUNCTIONS = r"""
-- Spherical-mercator position in [0, 1) of a lon/lat point (x eastwards, y southwards, as tiles
-- count): plain arithmetic, identical in the triggers, the rebuild and the tile query.
CREATE FUNCTION layers_merc_x(p geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT least(ST_X(p) + 180.0, 359.9999999999) / 360.0 $$;

CREATE FUNCTION layers_merc_y(p geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT least(0.9999999999, greatest(0.0,
    0.5 - ln(tan(pi() / 4 + radians(greatest(-85.0511287798, least(85.0511287798, ST_Y(p)))) / 2)) / (2 * pi())
)) $$;

CREATE TABLE layers_tile_grid (
    layer varchar(40) NOT NULL,
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    status varchar(40) NOT NULL,
    district_id bigint NOT NULL,  -- 0: filed under no district
    month date NOT NULL,          -- month of status_since, in Tbilisi time
    n integer NOT NULL,           -- how many public items
    sx double precision NOT NULL, -- sums of their mercator x and y: the cell's feature sits at the mean
    sy double precision NOT NULL,
    PRIMARY KEY (layer, level, cx, cy, status, district_id, month)
);

-- TG_ARGV: layer slug, public condition (SQL on the item row), lowest and highest level, time zone.
-- The transition tables are only readable through SPI, so the query is built with format() and run
-- with EXECUTE; the arguments come from migrations, never from a request.
CREATE FUNCTION layers_tile_grid_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    changes text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changes := format('SELECT 1 AS sign, r.* FROM new_rows r WHERE %s', TG_ARGV[1]);
    ELSIF TG_OP = 'DELETE' THEN
        changes := format('SELECT -1 AS sign, r.* FROM old_rows r WHERE %s', TG_ARGV[1]);
    ELSE
        changes := format(
            'SELECT 1 AS sign, r.* FROM new_rows r WHERE %1$s UNION ALL SELECT -1, r.* FROM old_rows r WHERE %1$s',
            TG_ARGV[1]);
    END IF;
    -- An update that moves nothing cancels out (+1 -1) and is dropped by HAVING. ORDER BY takes the
    -- row locks in one order, so two concurrent writers of a layer wait for each other instead of
    -- deadlocking.
    EXECUTE format($sql$
        INSERT INTO layers_tile_grid AS g (layer, level, cx, cy, status, district_id, month, n, sx, sy)
        SELECT %1$L, lv, floor(c.x * 2 ^ lv)::int, floor(c.y * 2 ^ lv)::int, c.status, c.district_id, c.month,
               sum(c.sign), sum(c.sign * c.x), sum(c.sign * c.y)
        FROM (SELECT sign, status, coalesce(district_id, 0) AS district_id,
                     date_trunc('month', status_since AT TIME ZONE %2$L)::date AS month,
                     layers_merc_x(point) AS x, layers_merc_y(point) AS y
              FROM (%3$s) changed) c
        CROSS JOIN generate_series(%4$s, %5$s) AS lv
        GROUP BY 2, 3, 4, 5, 6, 7
        HAVING sum(c.sign) <> 0 OR sum(c.sign * c.x) <> 0 OR sum(c.sign * c.y) <> 0
        ORDER BY 2, 3, 4, 5, 6, 7
        ON CONFLICT (layer, level, cx, cy, status, district_id, month)
        DO UPDATE SET n = g.n + excluded.n, sx = g.sx + excluded.sx, sy = g.sy + excluded.sy
    $sql$, TG_ARGV[0], TG_ARGV[4], changes, TG_ARGV[2]::int, TG_ARGV[3]::int);
    RETURN NULL;
END
$fn$;

CREATE FUNCTION layers_tile_grid_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM layers_tile_grid WHERE layer = TG_ARGV[0];
    RETURN NULL;
END
$fn$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION layers_tile_grid_truncate();
DROP FUNCTION layers_tile_grid_apply();
DROP TABLE layers_tile_grid;
DROP FUNCTION layers_merc_y(geometry);
DROP FUNCTION layers_merc_x(geometry);
"""


def triggers_sql(layer: str, table: str, public_sql: str = PUBLIC_SQL) -> str:
    args = ", ".join(f"'{a}'" for a in (layer, public_sql.replace("'", "''"), MIN_LEVEL, MAX_LEVEL, TIME_ZONE))
    return f"""
CREATE TRIGGER layers_grid_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION layers_tile_grid_apply({args});
CREATE TRIGGER layers_grid_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION layers_tile_grid_apply({args});
CREATE TRIGGER layers_grid_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION layers_tile_grid_apply({args});
CREATE TRIGGER layers_grid_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION layers_tile_grid_truncate('{layer}');
"""


def drop_triggers_sql(table: str) -> str:
    return "\n".join(
        f"DROP TRIGGER layers_grid_{event} ON {table};" for event in ("insert", "update", "delete", "truncate")
    )


def _fill_sql(layer: str, table: str, public_sql: str = PUBLIC_SQL) -> str:
    """Items already in the table when the migration runs (the trigger only sees later changes)."""
    return f"""
INSERT INTO layers_tile_grid (layer, level, cx, cy, status, district_id, month, n, sx, sy)
SELECT '{layer}', lv, floor(c.x * 2 ^ lv)::int, floor(c.y * 2 ^ lv)::int, c.status, c.district_id, c.month,
       count(*), sum(c.x), sum(c.y)
FROM (SELECT status, coalesce(district_id, 0) AS district_id,
             date_trunc('month', status_since AT TIME ZONE '{TIME_ZONE}')::date AS month,
             layers_merc_x(point) AS x, layers_merc_y(point) AS y
      FROM {table} WHERE {public_sql}) c
CROSS JOIN generate_series({MIN_LEVEL}, {MAX_LEVEL}) AS lv
GROUP BY 2, 3, 4, 5, 6, 7;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0002_permits_projects_imports_gazetteer"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        *[
            migrations.RunSQL(triggers_sql(layer, table) + _fill_sql(layer, table), drop_triggers_sql(table))
            for layer, table in LAYERS
        ],
    ]
