"""Indexes the layers API needs on every item table (raw SQL: expression indexes the models don't declare).

- upper(reference) text_pattern_ops: the search box's case-insensitive reference prefix match
  ("n-2019" finds N-2019-117); the database collation is not C, so a plain btree can't serve LIKE.
- a trigram GIN index on the layer's search text (its registry search_fields joined by spaces), for
  `q=` and the search box: ILIKE '%word%' over a million rows otherwise reads them all. The query
  in layers.filters builds the very same expression, or PostgreSQL would not use the index.
- (status_since, id): the feature list's order and the tiles' from/to filter.
"""

from django.db import migrations

# (table, index prefix, search fields as in layers.registry)
TABLES = [
    ("layers_constructionpermit", "permit", ("reference", "title", "address", "applicant_org")),
    ("layers_treepermit", "tree", ("reference", "title", "address")),
    ("layers_infrastructureproject", "project", ("reference", "title", "address", "agency", "contractor")),
]


def _search_expression(fields) -> str:
    return "(" + " || ' ' || ".join(fields) + ")"


def _create(table, prefix, fields) -> str:
    return f"""
CREATE INDEX {prefix}_reference_upper_idx ON {table} (upper(reference) text_pattern_ops);
CREATE INDEX {prefix}_search_trgm_idx ON {table} USING gin ({_search_expression(fields)} gin_trgm_ops);
CREATE INDEX {prefix}_since_idx ON {table} (status_since, id);
"""


def _drop(prefix) -> str:
    return f"""
DROP INDEX {prefix}_reference_upper_idx;
DROP INDEX {prefix}_search_trgm_idx;
DROP INDEX {prefix}_since_idx;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0003_tile_grid"),
    ]

    operations = [migrations.RunSQL(_create(*table), _drop(table[1])) for table in TABLES]
