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


def test_it_files_a_gap_point_under_the_nearest_district(db):
    city = shapely.from_wkb(bytes(CityBoundary.objects.get().geom.wkb))
    districts = shapely.union_all([shapely.from_wkb(bytes(d.geom.wkb)) for d in District.objects.all()])
    gaps = city.difference(districts)
    assert gaps.area > 0, "the coarse district polygons leave gaps inside the city outline"
    gap_point = gaps.representative_point() if gaps.geom_type == "Polygon" else max(gaps.geoms, key=lambda g: g.area).representative_point()
    district = District.objects.for_point(Point(gap_point.x, gap_point.y, srid=4326))
    assert district is not None


def test_it_knows_what_is_inside_the_city(db):
    assert CityBoundary.objects.covers(Point(44.7930, 41.6938, srid=4326))  # Freedom Square
    assert not CityBoundary.objects.covers(Point(44.5, 41.9, srid=4326))
    assert not CityBoundary.objects.covers(Point(41.64, 41.64, srid=4326))  # Batumi
