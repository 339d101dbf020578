"""The statistics grid from scratch: after a bulk load with triggers off (bench/), and as a repair tool.

The SQL is the migration's own (stats migration 0001), so a rebuilt grid and a trigger-kept one are
the same rows; tests/stats compares them after random changes.
"""

import importlib

from django.db import connection, transaction

migration = importlib.import_module("stats.migrations.0001_stats_grid")
# The layers' conditions as the latest migration that changed them left them.
latest = importlib.import_module("stats.migrations.0003_reports_without_a_place_off_the_grid")
SPECS = {spec[0]: spec for spec in latest.LAYERS}


def _spec(layer):
    return SPECS[layer.slug]


def rebuild_grid(layer) -> int:
    """Replace the layer's grid rows by a count of its items; returns rows written."""
    with transaction.atomic(), connection.cursor() as cursor:
        # SHARE lock: writers wait until the new rows commit, so no trigger delta lands in rows
        # being replaced; readers see the old grid until then.
        cursor.execute(f"LOCK TABLE {layer.table} IN SHARE MODE")
        cursor.execute("DELETE FROM stats_grid WHERE layer = %s", [layer.slug])
        cursor.execute(migration.fill_sql(*_spec(layer)))
        return cursor.rowcount


def rebuilt_rows(layer) -> list[tuple]:
    """What a rebuild would write, sorted, without writing it."""
    select = migration.fill_sql(*_spec(layer)).split("SELECT", 1)[1].rstrip().rstrip(";")
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH rebuilt (layer, level, cx, cy, status, kind, category, district_id, month, n) AS (SELECT {select}) "
            "SELECT level, cx, cy, status, kind, category, district_id, month, n FROM rebuilt "
            "ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
        )
        return cursor.fetchall()
