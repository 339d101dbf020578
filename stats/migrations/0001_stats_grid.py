"""The statistics grid: counts of public items per cell, status, kind, category, district and month.

The question engine (stats.engine) answers "how many, split by …" without counting a million items:
a city-wide or district question sums the rows of level 0 (one cell, the whole world), an area
sums the rows of the cells wholly inside it (levels 12, 14, 16, 18; smartmap.lib.cells) and counts
only the items in the finest cells along its edge one by one.

Why a second grid beside the tiles' (layers migration 0003): tiles need the cells' mean positions at
fourteen levels and no kinds; statistics need each layer's kind and category and five levels. One
table for both would multiply the rows every tile sums. The mechanism is the same and so are its
reasons: statement triggers with transition tables, in the items' own transactions, so the grid can
never drift from the items whoever writes them; the TRUNCATE trigger clears a layer's rows.

``month`` is the Tbilisi month of status_since; an item whose status date is unknown (a register
gave none: status_date_known is false, and status_since is only when an import first saw it) is
filed under 0001-01-01, "date unknown", which no period includes.

The kind and category expressions are a frozen copy of stats.dimensions (a test compares them with
the installed triggers). Indexes on status_since: the partial months at either end of a period are
counted from the items, and without them that is a sequential scan of the whole layer.
"""

from django.db import migrations

LEVELS = "{0,12,14,16,18}"
TIME_ZONE = "Asia/Tbilisi"
UNKNOWN_MONTH = "0001-01-01"
ITEM_PUBLIC = "withdrawn_at IS NULL"
REPORT_PUBLIC = "confirmed_at IS NOT NULL AND hidden_at IS NULL AND withdrawn_at IS NULL"
FORUM_PUBLIC = "hidden_at IS NULL AND point IS NOT NULL AND withdrawn_at IS NULL"
# (layer, table, public condition, kind, category, is the status date known)
LAYERS = [
    (
        "construction-permits",
        "layers_constructionpermit",
        ITEM_PUBLIC,
        "coalesce(construction_class::text, '')",
        "''",
        "status_date_known",
    ),
    ("tree-permits", "layers_treepermit", ITEM_PUBLIC, "kind", "reason", "status_date_known"),
    ("projects", "layers_infrastructureproject", ITEM_PUBLIC, "''", "''", "status_date_known"),
    ("reports", "fixtracker_report", REPORT_PUBLIC, "department_id::text", "category_id::text", "true"),
    ("forum", "forum_thread", FORUM_PUBLIC, "''", "section_id::text", "true"),
]

FUNCTIONS = rf"""
CREATE TABLE stats_grid (
    layer varchar(40) NOT NULL,
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    status varchar(40) NOT NULL,
    kind varchar(60) NOT NULL,
    category varchar(60) NOT NULL,
    district_id bigint NOT NULL,  -- 0: filed under no district
    month date NOT NULL,          -- Tbilisi month of status_since; {UNKNOWN_MONTH}: date unknown
    n integer NOT NULL,
    PRIMARY KEY (layer, level, cx, cy, status, kind, category, district_id, month)
);

-- TG_ARGV: layer slug, public condition, kind expression, category expression, "status date
-- known" expression (SQL over the item row, from this migration, never from a request), levels,
-- time zone. Transition tables are only readable through SPI, hence format() and EXECUTE.
CREATE FUNCTION stats_grid_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    changes text;
    picked text := 'SELECT %s AS sign, status, (%s)::varchar AS kind, (%s)::varchar AS category, '
                   'coalesce(district_id, 0) AS district_id, CASE WHEN %s THEN status_since END AS status_since, '
                   'point FROM %s r WHERE %s';
BEGIN
    IF TG_OP = 'INSERT' THEN
        changes := format(picked, 1, TG_ARGV[2], TG_ARGV[3], TG_ARGV[4], 'new_rows', TG_ARGV[1]);
    ELSIF TG_OP = 'DELETE' THEN
        changes := format(picked, -1, TG_ARGV[2], TG_ARGV[3], TG_ARGV[4], 'old_rows', TG_ARGV[1]);
    ELSE
        changes := format(picked, 1, TG_ARGV[2], TG_ARGV[3], TG_ARGV[4], 'new_rows', TG_ARGV[1]) || ' UNION ALL '
                || format(picked, -1, TG_ARGV[2], TG_ARGV[3], TG_ARGV[4], 'old_rows', TG_ARGV[1]);
    END IF;
    -- An update that moves nothing cancels out and is dropped by HAVING; ORDER BY takes the row
    -- locks in one order, so concurrent writers of a layer queue instead of deadlocking.
    EXECUTE format($sql$
        INSERT INTO stats_grid AS g (layer, level, cx, cy, status, kind, category, district_id, month, n)
        SELECT %1$L, lv, floor(layers_merc_x(c.point) * 2 ^ lv)::int, floor(layers_merc_y(c.point) * 2 ^ lv)::int,
               c.status, c.kind, c.category, c.district_id,
               coalesce(date_trunc('month', c.status_since AT TIME ZONE %2$L)::date, %3$L::date), sum(c.sign)
        FROM (%4$s) c CROSS JOIN unnest(%5$L::smallint[]) AS lv
        GROUP BY 2, 3, 4, 5, 6, 7, 8, 9
        HAVING sum(c.sign) <> 0
        ORDER BY 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (layer, level, cx, cy, status, kind, category, district_id, month)
        DO UPDATE SET n = g.n + excluded.n
    $sql$, TG_ARGV[0], TG_ARGV[6], '{UNKNOWN_MONTH}', changes, TG_ARGV[5]);
    RETURN NULL;
END
$fn$;

CREATE FUNCTION stats_grid_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM stats_grid WHERE layer = TG_ARGV[0];
    RETURN NULL;
END
$fn$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION stats_grid_truncate();
DROP FUNCTION stats_grid_apply();
DROP TABLE stats_grid;
"""


def trigger_args(layer, public, kind, category, dated) -> str:
    values = (layer, public, kind, category, dated, LEVELS, TIME_ZONE)
    return ", ".join("'" + a.replace("'", "''") + "'" for a in values)


def triggers_sql(layer, table, public, kind, category, dated) -> str:
    args = trigger_args(layer, public, kind, category, dated)
    return f"""
CREATE TRIGGER stats_grid_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_grid_apply({args});
CREATE TRIGGER stats_grid_update AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_grid_apply({args});
CREATE TRIGGER stats_grid_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION stats_grid_apply({args});
CREATE TRIGGER stats_grid_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION stats_grid_truncate('{layer}');
CREATE INDEX IF NOT EXISTS stats_{table}_since_idx ON {table} (status_since);
"""


def drop_triggers_sql(table) -> str:
    drops = [f"DROP TRIGGER stats_grid_{event} ON {table};" for event in ("insert", "update", "delete", "truncate")]
    return "\n".join([*drops, f"DROP INDEX IF EXISTS stats_{table}_since_idx;"])


def fill_sql(layer, table, public, kind, category, dated) -> str:
    """Every item of the layer, from scratch: the migration's first fill and stats.grid.rebuild_grid."""
    return f"""
INSERT INTO stats_grid (layer, level, cx, cy, status, kind, category, district_id, month, n)
SELECT '{layer}', lv, floor(layers_merc_x(c.point) * 2 ^ lv)::int, floor(layers_merc_y(c.point) * 2 ^ lv)::int,
       c.status, c.kind, c.category, c.district_id,
       coalesce(date_trunc('month', c.status_since AT TIME ZONE '{TIME_ZONE}')::date, '{UNKNOWN_MONTH}'::date),
       count(*)
FROM (SELECT status, ({kind})::varchar AS kind, ({category})::varchar AS category,
             coalesce(district_id, 0) AS district_id, CASE WHEN {dated} THEN status_since END AS status_since, point
      FROM {table} WHERE {public}) c
CROSS JOIN unnest('{LEVELS}'::smallint[]) AS lv
GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0006_import_run_counts_by_kind"),
        ("fixtracker", "0004_report_next_due_generated_index"),
        ("forum", "0003_threads_tile_grid_and_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        *[migrations.RunSQL(triggers_sql(*spec) + fill_sql(*spec), drop_triggers_sql(spec[1])) for spec in LAYERS],
    ]
