"""Indexes measured on a million tree permits (bench/stats_bench.py) for the two slow parts of an answer.

The partial months at either end of a period are counted from the items by status_since: an
index-only scan over the columns the engine reads takes a few index pages in date order instead of
ten thousand heap pages scattered over the table (cold: 0.9 s for a fortnight of a million tree
permits). City and district questions read the grid's level 0 by month and district, which the
primary key (ordered by cell first) cannot answer without reading the layer's whole level 0.
"""

from django.db import migrations

COVERING = {
    "layers_constructionpermit": "status, construction_class, district_id, withdrawn_at, status_date_known, point",
    "layers_treepermit": "status, kind, reason, district_id, withdrawn_at, status_date_known, point",
    "layers_infrastructureproject": "status, district_id, withdrawn_at, status_date_known, point",
    "fixtracker_report": "status, department_id, category_id, district_id, confirmed_at, hidden_at, withdrawn_at, point",
    "forum_thread": "status, section_id, district_id, hidden_at, withdrawn_at, point",
}


def _swap(table: str, columns: str) -> str:
    return (
        f"DROP INDEX IF EXISTS stats_{table}_since_idx; "
        f"CREATE INDEX stats_{table}_since_idx ON {table} (status_since) INCLUDE ({columns});"
    )


def _back(table: str) -> str:
    return (
        f"DROP INDEX IF EXISTS stats_{table}_since_idx; CREATE INDEX stats_{table}_since_idx ON {table} (status_since);"
    )


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_stats_grid")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX stats_grid_level0_idx ON stats_grid (layer, month, district_id) WHERE level = 0",
            "DROP INDEX stats_grid_level0_idx",
        ),
        *[migrations.RunSQL(_swap(table, columns), _back(table)) for table, columns in COVERING.items()],
    ]
