"""Threads get what every map layer has: the tile grid kept by triggers, and the API's indexes.

Only threads with a place that are not hidden are counted: the triggers evaluate that condition on
each changed row, so hiding a thread takes it out of the low-zoom cells in the same transaction.
"""

import importlib

from django.db import migrations

grid = importlib.import_module("layers.migrations.0003_tile_grid")
indexes = importlib.import_module("layers.migrations.0004_api_search_indexes")

TABLE = "forum_thread"
PUBLIC = "hidden_at IS NULL AND point IS NOT NULL AND withdrawn_at IS NULL"


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_first_sections"),
        ("layers", "0004_api_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            grid.triggers_sql("forum", TABLE, PUBLIC) + grid._fill_sql("forum", TABLE, PUBLIC),
            grid.drop_triggers_sql(TABLE),
        ),
        migrations.RunSQL(indexes._create(TABLE, "thread", ("reference", "title", "address")), indexes._drop("thread")),
    ]
