"""The statistics grid's triggers: installed on every layer with the engine's own kind and category rules."""

import random

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from layers.registry import all_layers, get_layer
from stats.dimensions import dated_sql, dimensions
from stats.engine import LayerFilter, counts, plain_counts
from stats.grid import rebuild_grid, rebuilt_rows
from stats.territories import Territory
from tests.stats import factories

pytestmark = pytest.mark.django_db


def test_it_has_triggers_with_the_engines_expressions_on_every_layer():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, encode(tgargs, 'escape') FROM pg_trigger WHERE tgname = 'stats_grid_insert'"
        )
        installed = {table: args.split("\\000")[:5] for table, args in cursor.fetchall()}
    for layer in all_layers():
        dims = dimensions(layer.slug)
        assert installed[layer.table] == [
            layer.slug,
            layer.public_sql,
            dims.kind_sql,
            dims.category_sql,
            dated_sql(layer),
        ]


def test_an_area_is_answered_mostly_from_whole_cells():
    factories.tree_permits(random.Random(3), 300)
    west, south, east, north = factories.BOX
    shape = shapely.box(west + 0.002, south + 0.002, east - 0.003, north - 0.004)
    territory = Territory("area", "area", geom=GEOSGeometry(shape.wkt, srid=4326))
    assert set(territory.cover.inside) >= {16, 18} and territory.cover.edge
    layer = get_layer("tree-permits")
    answer = counts(layer, LayerFilter(), territory, None, None, "status")
    assert sum(answer.values()) > 100
    assert answer == plain_counts(layer, LayerFilter(), territory, None, None, "status")


@pytest.mark.parametrize("slug", ["reports", "construction-permits"])
def test_reports_and_permits_are_kept_by_department_category_and_class(slug):
    rng = random.Random(5)
    (factories.reports if slug == "reports" else factories.construction_permits)(rng, 120)
    layer = get_layer(slug)
    for group in ("kind", "category", "district", "month"):
        assert counts(layer, LayerFilter(), Territory("city", "city"), None, None, group) == plain_counts(
            layer, LayerFilter(), Territory("city", "city"), None, None, group
        )
    kept = rebuilt_rows(layer)
    assert rebuild_grid(layer) == len(kept) and rebuilt_rows(layer) == kept


def test_a_status_of_unknown_date_counts_in_no_period_only_under_date_unknown():
    from datetime import date

    factories.tree_permits(random.Random(9), 3, status_date_known=False, withdrawn_at=None)
    layer, city = get_layer("tree-permits"), Territory("city", "city")
    assert counts(layer, LayerFilter(), city, date(2000, 1, 1), date(2030, 12, 31), None) == {}
    assert counts(layer, LayerFilter(), city, None, None, "month") == {date(1, 1, 1): 3}
    assert counts(layer, LayerFilter(), city, None, None, None) == {"": 3}
