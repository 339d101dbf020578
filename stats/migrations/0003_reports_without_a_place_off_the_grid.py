"""Reports without a place (imported from an old hotline whose record had none) are on no map.

Their point is NULL, so no cell holds them: like forum threads without a place, they leave the
reports layer's public condition (fixtracker.apps registers the same one), the grid's triggers
and its rebuild (stats/grid.py reads LAYERS from here). They still count in the response record,
which reads the reports themselves (stats/record.py). Until this migration no report could lack a
point, so the grid's existing rows need no refill.
"""

import importlib

from django.db import migrations

first = importlib.import_module("stats.migrations.0001_stats_grid")

REPORT_PUBLIC = f"{first.REPORT_PUBLIC} AND point IS NOT NULL"
LAYERS = [(*spec[:2], REPORT_PUBLIC, *spec[3:]) if spec[0] == "reports" else spec for spec in first.LAYERS]
REPORTS = next(spec for spec in LAYERS if spec[0] == "reports")
BEFORE = next(spec for spec in first.LAYERS if spec[0] == "reports")


def _swap(spec) -> str:
    """The reports' triggers again with the new condition (the since index stays as 0002 made it)."""
    table = spec[1]
    drops = "".join(
        f"DROP TRIGGER stats_grid_{event} ON {table};" for event in ("insert", "update", "delete", "truncate")
    )
    return drops + first.triggers_sql(*spec)


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_covering_indexes"),
        ("fixtracker", "0008_report_imported_and_placeless"),
    ]

    operations = [migrations.RunSQL(_swap(REPORTS), _swap(BEFORE))]
