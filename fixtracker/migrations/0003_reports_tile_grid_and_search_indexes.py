"""Reports get what every map layer has: the tile grid kept by triggers, and the API's indexes.

The grid counts only public reports (confirmed, not hidden, not withdrawn): the triggers
evaluate that condition on each changed row, so confirming or hiding a report moves it in or
out of the low-zoom cells in the same transaction.
"""

import importlib

from django.db import migrations

grid = importlib.import_module("layers.migrations.0003_tile_grid")
indexes = importlib.import_module("layers.migrations.0004_api_search_indexes")

TABLE = "fixtracker_report"
PUBLIC = "confirmed_at IS NOT NULL AND hidden_at IS NULL AND withdrawn_at IS NULL"


class Migration(migrations.Migration):
    dependencies = [
        ("fixtracker", "0002_first_categories"),
        ("layers", "0004_api_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            grid.triggers_sql("reports", TABLE, PUBLIC) + grid._fill_sql("reports", TABLE, PUBLIC),
            grid.drop_triggers_sql(TABLE),
        ),
        migrations.RunSQL(indexes._create(TABLE, "report", ("reference", "title", "address")), indexes._drop("report")),
    ]
