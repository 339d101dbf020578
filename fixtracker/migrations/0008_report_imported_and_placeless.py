"""Imported reports: marked imported_at, and one without a place at its source has no geometry.

A report with no place is on no map, so the tile grid's triggers now count only reports with a
point (stats migration 0003 does the same for the statistics grid). Until this migration every
report had one, so the grid's rows need no refill.
"""

import importlib

import django.contrib.gis.db.models.fields
from django.db import migrations, models

grid = importlib.import_module("layers.migrations.0003_tile_grid")
before = importlib.import_module("fixtracker.migrations.0003_reports_tile_grid_and_search_indexes")

TABLE = before.TABLE
PUBLIC = f"{before.PUBLIC} AND point IS NOT NULL"


class Migration(migrations.Migration):
    dependencies = [
        ("fixtracker", "0007_supporter_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="imported_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="imported"),
        ),
        migrations.AlterField(
            model_name="report",
            name="geom",
            field=django.contrib.gis.db.models.fields.GeometryField(
                blank=True, null=True, srid=4326, verbose_name="location"
            ),
        ),
        migrations.AlterField(
            model_name="report",
            name="point",
            field=django.contrib.gis.db.models.fields.PointField(blank=True, null=True, srid=4326),
        ),
        migrations.RunSQL(
            grid.drop_triggers_sql(TABLE) + grid.triggers_sql("reports", TABLE, PUBLIC),
            grid.drop_triggers_sql(TABLE) + grid.triggers_sql("reports", TABLE, before.PUBLIC),
        ),
    ]
