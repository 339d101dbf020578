"""Matching agrees with shapely on thousands of random points and polygons, borders included."""

import shapely
from django.contrib.gis.geos import Point
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subscriptions.models import Delivery
from tests.subscriptions.conftest import happen, make_subscription

# Coordinates on a 0.0005° grid around Vake, so that points often fall exactly on edges and corners.
GRID = 0.0005
X0, Y0 = 44.74, 41.70
cells = st.integers(min_value=0, max_value=60)


@st.composite
def polygons(draw):
    """Random simple polygons: boxes, triangles and star-ish shapes on the grid."""
    shape = draw(st.sampled_from(["box", "triangle", "fan"]))
    x, y = draw(cells), draw(cells)
    if shape == "box":
        w, h = draw(st.integers(2, 20)), draw(st.integers(2, 20))
        ring = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    elif shape == "triangle":
        ring = [(x, y), (x + draw(st.integers(3, 20)), y), (x + draw(st.integers(0, 10)), y + draw(st.integers(3, 20)))]
    else:
        n = draw(st.integers(5, 12))
        import math

        radii = [draw(st.integers(2, 10)) for _ in range(n)]
        ring = [
            (round(x + 10 + r * math.cos(2 * math.pi * i / n)), round(y + 10 + r * math.sin(2 * math.pi * i / n)))
            for i, r in enumerate(radii)
        ]
    coords = [[X0 + a * GRID, Y0 + b * GRID] for a, b in ring]
    polygon = shapely.Polygon(coords)
    if not polygon.is_valid or polygon.area == 0:
        polygon = polygon.convex_hull
    if polygon.geom_type != "Polygon" or polygon.area < (2 * GRID) ** 2:
        polygon = shapely.box(X0 + x * GRID, Y0 + y * GRID, X0 + (x + 3) * GRID, Y0 + (y + 3) * GRID)
    return shapely.geometry.polygon.orient(polygon)


points = st.tuples(st.integers(-5, 90), st.integers(-5, 90)).map(lambda c: (X0 + c[0] * GRID, Y0 + c[1] * GRID))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(polygon=polygons(), spots=st.lists(points, min_size=20, max_size=60))
def test_it_matches_exactly_what_shapely_says_is_in_or_on_the_area(db, polygon, spots):
    Delivery.objects.all().delete()
    subscription = make_subscription(
        geojson=shapely.geometry.mapping(polygon) | {"coordinates": [list(map(list, polygon.exterior.coords))]}
    )
    expected = set()
    for i, (lon, lat) in enumerate(spots):
        event = happen(Point(lon, lat, srid=4326), item_id=i)
        if polygon.intersects(shapely.Point(lon, lat)):
            expected.add(event.pk)
    matched = set(Delivery.objects.filter(subscription=subscription).values_list("event_id", flat=True))
    assert matched == expected
