"""Re-checking stored items against new district boundaries: what would move, and moving it.

Every map item is filed under a district when it is stored (District.objects.for_point on its
point). When the boundaries change (a better file, a city decision), the stored districts go
stale: `find_moves()` files every stored point again with the same rule, in memory
(places.index.DistrictIndex, so 100,000 items take seconds), and lists those that land elsewhere.

What happens to a move depends on what the district means to the layer. For most layers it is
where the item is: `apply()` re-files it (and expires the layer's cached tiles). For a layer whose
items were routed by their district (Fix-Tbilisi reports go to a department by district) the
district is a decision already taken: the item keeps it, and the layer's `on_boundary_change`
notes the change on the item's timeline instead. Neither writes an event: a new line on the map is
not news about the item. The command `manage.py recheck_districts` is the shell over this core,
a dry run unless given --commit.
"""

from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection, transaction

from layers.registry import all_layers, get_layer
from places.index import DistrictIndex


@dataclass(frozen=True)
class Move:
    layer: str
    item_id: int
    reference: str
    old_district_id: int | None
    new_district_id: int


@dataclass(frozen=True)
class LayerCheck:
    layer: str
    checked: int
    moves: list[Move]
    keeps_district: bool

    def by_pair(self) -> Counter:
        """How many move from which district to which: {(old id, new id): count}."""
        return Counter((m.old_district_id, m.new_district_id) for m in self.moves)


def find_moves(index: DistrictIndex | None = None) -> list[LayerCheck]:
    """Every layer's stored items whose point the current boundaries file under another district."""
    index = index or DistrictIndex()
    return [_check(layer, index) for layer in sorted(all_layers(), key=lambda layer: layer.slug)]


def _check(layer, index: DistrictIndex) -> LayerCheck:
    with connection.cursor() as cursor:
        # Coordinates as numbers, not geometries: building 100,000 GEOS objects costs more than the test.
        cursor.execute(
            f"SELECT id, reference, district_id, ST_X(point), ST_Y(point) FROM {layer.table} "
            "WHERE point IS NOT NULL ORDER BY id"
        )
        rows = cursor.fetchall()
    points = shapely.points(np.array([(r[3], r[4]) for r in rows], dtype=float).reshape(-1, 2))
    now = index.district_ids(points) if rows else []
    moves = [Move(layer.slug, r[0], r[1], r[2], new) for r, new in zip(rows, now, strict=True) if new != r[2]]
    return LayerCheck(layer.slug, len(rows), moves, layer.on_boundary_change is not None)


@transaction.atomic
def apply(checks: list[LayerCheck]) -> dict[str, int]:
    """Re-file the moves (or have their layer note them); returns how many per layer."""
    from layers.tiles import bump_versions

    done = {}
    for check in checks:
        layer = get_layer(check.layer)
        if not check.moves:
            continue
        if layer.on_boundary_change is not None:
            done[check.layer] = layer.on_boundary_change(check.moves)
            continue
        for new in sorted({m.new_district_id for m in check.moves}):
            ids = [m.item_id for m in check.moves if m.new_district_id == new]
            layer.model.objects.filter(pk__in=ids).update(district_id=new)
        done[check.layer] = len(check.moves)
        # After commit: a tile filtered by district must not be served from before the move.
        transaction.on_commit(lambda slug=check.layer: bump_versions([slug]))
    return done
