"""Property: every question the engine answers equals the plain COUNT … GROUP BY over the items.

Random items in a 2 km square (so drawn areas cross cells of every level), random areas, periods
cut at both ends or within one month, every filter and every grouping; then the same after the
items were updated, withdrawn, moved and deleted (the triggers' work).
"""

import math
import random
from datetime import date, timedelta

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.models import TreePermit
from layers.registry import get_layer
from places.models import District, SubDistrict
from stats.engine import GROUPS, LayerFilter, counts, plain_counts
from stats.territories import Territory
from tests.stats import factories

pytestmark = pytest.mark.django_db
west, south, east, north = factories.BOX


@pytest.fixture
def trees(db):
    return factories.tree_permits(random.Random(7), 500)


@st.composite
def areas(draw):
    cx = draw(st.floats(west - 0.005, east + 0.005))
    cy = draw(st.floats(south - 0.005, north + 0.005))
    radius = draw(st.floats(0.0005, 0.02))
    angles = sorted(draw(st.lists(st.floats(0, 6.28), min_size=3, max_size=7, unique=True)))
    ring = [(cx + radius * math.cos(a), cy + radius * 0.75 * math.sin(a)) for a in angles]
    shape = shapely.Polygon(ring).convex_hull
    if shape.area < 1e-9 or shape.geom_type != "Polygon":
        shape = shapely.box(cx - radius, cy - radius, cx + radius, cy + radius)
    return GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=4326)


def subsets(values):
    return st.one_of(st.none(), st.lists(st.sampled_from(values), min_size=1, unique=True))


days = st.one_of(st.none(), st.dates(date(2023, 10, 1), date(2026, 3, 1)))


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["city", "district", "area", "area", "area", "subdistrict"]))
    if kind == "district":
        territory = Territory(
            "d", "d", district_id=draw(st.sampled_from(list(District.objects.values_list("pk", flat=True)[:3])))
        )
    elif kind == "area":
        territory = Territory("area", "area", geom=draw(areas()))
    elif kind == "subdistrict":
        box = GEOSGeometry(shapely.box(*factories.BOX).wkt, srid=4326)
        territory = Territory(
            "s", "s", geom=draw(st.sampled_from(list(SubDistrict.objects.filter(geom__intersects=box)))).geom
        )
    else:
        territory = Territory("city", "city")
    date_from, date_to = draw(days), draw(days)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    if draw(st.booleans()) and date_from:  # a period inside one month, cut at both ends
        date_to = date_from + timedelta(days=draw(st.integers(0, 20)))
    flt = LayerFilter(
        statuses=draw(subsets(TreePermit.Status.values)),
        kinds=draw(subsets(TreePermit.Kind.values)),
        categories=draw(subsets([*TreePermit.Reason.values, ""])),
    )
    return flt, territory, date_from, date_to, draw(st.sampled_from([None, *GROUPS]))


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(question=questions())
def test_it_equals_the_plain_group_by(trees, question):
    layer = get_layer("tree-permits")
    assert counts(layer, *question) == plain_counts(layer, *question)


@SETTINGS
@given(question=questions())
def test_it_still_equals_after_updates_moves_and_deletes(changed_trees, question):
    layer = get_layer("tree-permits")
    assert counts(layer, *question) == plain_counts(layer, *question)


@pytest.fixture
def changed_trees(trees):
    rng = random.Random(11)
    for item in rng.sample(trees, 150):
        item.status = rng.choice(TreePermit.Status.values)
        item.status_since = factories.random_moment(rng)
        item.point = item.geom = factories.random_point(rng)
        item.withdrawn_at = None if rng.random() < 0.5 else item.status_since
        item.save()
    TreePermit.objects.filter(pk__in=[t.pk for t in rng.sample(trees, 50)]).delete()
    TreePermit.objects.filter(kind="felling").update(reason="hazard")
    return trees


def test_the_kept_grid_equals_a_grid_built_from_scratch(changed_trees):
    from stats.grid import rebuilt_rows

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT level, cx, cy, status, kind, category, district_id, month, n FROM stats_grid "
            "WHERE layer = 'tree-permits' AND n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
        )
        kept = cursor.fetchall()
    assert kept == rebuilt_rows(get_layer("tree-permits"))
