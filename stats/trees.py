"""Trees, not permits: how many trees were felled or transplanted, by species and trunk diameter.

A tree permit lists its trees ("trees": [{"species", "diameter_cm"}, …], one entry a tree) and
says how many there are (tree_count). Trees the list does not describe are counted under
"species not given". Counted from the items themselves, exactly: the city issues thousands of
tree permits, not millions, so no grid is needed; the territory, period and status filters are the
question engine's own SQL.
"""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from layers.registry import get_layer
from stats.engine import LayerFilter, item_clauses, period_clauses, territory_clauses

# Upper bounds (cm, exclusive) of the trunk-diameter classes; the last class is open.
DIAMETER_CLASSES = (20, 40, 60, 80)


@dataclass
class TreeRow:
    kind: str
    species: str
    diameter_class: int  # index into DIAMETER_CLASSES; len(DIAMETER_CLASSES) = the open class; -1 unknown
    trees: int


def diameter_label(index: int) -> str:
    if index < 0:
        return _("diameter not given")
    if index == 0:
        return _("under %(cm)d cm") % {"cm": DIAMETER_CLASSES[0]}
    if index == len(DIAMETER_CLASSES):
        return _("%(cm)d cm and more") % {"cm": DIAMETER_CLASSES[-1]}
    return _("%(low)d–%(high)d cm") % {"low": DIAMETER_CLASSES[index - 1], "high": DIAMETER_CLASSES[index] - 1}


def tree_counts(territory, date_from, date_to, statuses=None, kinds=None) -> list[TreeRow]:
    layer = get_layer("tree-permits")
    params: dict = {}
    clauses, base = item_clauses(layer, LayerFilter(statuses=statuses, kinds=kinds), territory)
    params.update(base)
    clauses += territory_clauses(territory, params)
    end = date.fromordinal(date_to.toordinal() + 1) if date_to else None
    clauses += period_clauses(layer, date_from, end, "trees", params)
    where = " AND ".join(clauses)
    bounds = ", ".join(str(b) for b in DIAMETER_CLASSES)
    # jsonb_typeof guards: staff may type anything into the admin's JSON field.
    sql = f"""
        WITH items AS (SELECT i.kind, i.tree_count,
                              CASE WHEN jsonb_typeof(i.trees) = 'array' THEN i.trees ELSE '[]'::jsonb END AS trees
                       FROM {layer.table} i WHERE {where}),
        described AS (
            SELECT kind,
                   CASE WHEN jsonb_typeof(t -> 'species') = 'string' THEN btrim(t ->> 'species') ELSE '' END AS species,
                   CASE WHEN jsonb_typeof(t -> 'diameter_cm') = 'number'
                        THEN width_bucket((t ->> 'diameter_cm')::float8, ARRAY[{bounds}]::float8[]) ELSE -1 END AS cls
            FROM items, jsonb_array_elements(items.trees) t
        )
        SELECT kind, species, cls, count(*) FROM described GROUP BY 1, 2, 3
        UNION ALL
        SELECT kind, '', -1, sum(tree_count - jsonb_array_length(trees)) FROM items
        WHERE tree_count > jsonb_array_length(trees) GROUP BY 1
        ORDER BY 1, 2, 3"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [TreeRow(kind, species, int(cls), int(n)) for kind, species, cls, n in cursor.fetchall()]
