"""Every point inside the city belongs to exactly one district."""

import random

import shapely
from django.contrib.gis.geos import Point

from places.models import CityBoundary, District
from tests.factories import point_in_tbilisi


def test_it_finds_exactly_one_district_for_points_all_over_the_city(db):
    rng = random.Random(42)
    shapes = {d.pk: shapely.from_wkb(bytes(d.geom.wkb)) for d in District.objects.all()}
    for _ in range(300):
        point = point_in_tbilisi(rng)
        district = District.objects.for_point(point)
        assert district is not None
        covering = [pk for pk, shape in shapes.items() if shape.covers(shapely.Point(point.x, point.y))]
        # Inside a polygon: that polygon (they no longer overlap); in a gap: the nearest one.
        assert covering in ([district.pk], [])
        if not covering:
            nearest = min(shapes, key=lambda pk: shapes[pk].distance(shapely.Point(point.x, point.y)))
            assert district.pk == nearest


def test_it_leaves_no_sliver_of_the_city_outside_every_district(db):
    city = shapely.from_wkb(bytes(CityBoundary.objects.get().geom.wkb))
    districts = shapely.union_all([shapely.from_wkb(bytes(d.geom.wkb)) for d in District.objects.all()])
    assert city.difference(districts).area == 0


def test_it_gives_each_edge_sliver_to_exactly_one_bordering_district(db):
    """The slivers OpenStreetMap's file leaves along the city edge: each now in one district."""
    from django.conf import settings

    from places import importing

    data = settings.SHARED_DATA_DIR / "tbilisi"
    raw = importing.read_districts(data / "tbilisi_10_districts_osm_wgs84.geojson")
    city = shapely.from_wkb(bytes(CityBoundary.objects.get().geom.wkb))
    gaps = city.difference(shapely.union_all([r.geom for r in raw]))
    largest = sorted(gaps.geoms, key=lambda g: -g.area)[:20]
    for sliver in largest:
        at = sliver.representative_point()
        covering = District.objects.filter(geom__covers=Point(at.x, at.y, srid=4326))
        assert covering.count() == 1
        owner = next(r for r in raw if r.number == covering.get().number)
        assert owner.geom.distance(sliver) < 1e-6  # a neighbour of the sliver, not a district far away


def test_a_point_beyond_every_district_goes_to_the_nearest(db):
    from pyproj import Transformer

    outside = Point(44.60, 41.75, srid=4326)  # west of the city, beyond every polygon
    to_metres = Transformer.from_crs(4326, 32638, always_xy=True).transform  # distances in metres
    here = shapely.transform(shapely.Point(outside.x, outside.y), lambda xy: _metres(to_metres, xy))
    shapes = {d.pk: shapely.from_wkb(bytes(d.geom.wkb)) for d in District.objects.all()}
    assert not any(shape.covers(shapely.Point(outside.x, outside.y)) for shape in shapes.values())
    distances = {pk: shapely.transform(s, lambda xy: _metres(to_metres, xy)).distance(here) for pk, s in shapes.items()}
    assert District.objects.for_point(outside).pk == min(distances, key=distances.get)


def _metres(transform, xy):
    import numpy as np

    x, y = transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def test_it_knows_what_is_inside_the_city(db):
    assert CityBoundary.objects.covers(Point(44.7930, 41.6938, srid=4326))  # Freedom Square
    assert not CityBoundary.objects.covers(Point(44.5, 41.9, srid=4326))
    assert not CityBoundary.objects.covers(Point(41.64, 41.64, srid=4326))  # Batumi
