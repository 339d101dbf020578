"""Is it in Tbilisi? One home (CityBoundary.objects) for points, areas and shares, on the real outline."""

from django.contrib.gis.geos import Point, Polygon

from places.models import CityBoundary

FREEDOM_SQUARE = Point(44.7930, 41.6934, srid=4326)
BATUMI = Point(41.6359, 41.6415, srid=4326)


def _box(minx, miny, maxx, maxy) -> Polygon:
    box = Polygon.from_bbox((minx, miny, maxx, maxy))
    box.srid = 4326
    return box


def test_a_point_in_the_centre_is_in_the_city_and_one_on_the_sea_is_not(db):
    assert CityBoundary.objects.covers(FREEDOM_SQUARE)
    assert not CityBoundary.objects.covers(BATUMI)


def test_an_area_across_the_city_edge_touches_it_but_is_not_covered(db):
    old_town = _box(44.800, 41.688, 44.812, 41.695)
    across_the_edge = _box(44.60, 41.60, 45.00, 41.95)  # larger than the city, reaching past it
    assert CityBoundary.objects.covers(old_town) and CityBoundary.objects.share_covered(old_town) > 0.99
    assert CityBoundary.objects.touches(across_the_edge) and not CityBoundary.objects.covers(across_the_edge)
    assert 0.2 < CityBoundary.objects.share_covered(across_the_edge) < 0.9
    assert not CityBoundary.objects.touches(_box(41.60, 41.60, 41.70, 41.70))
    assert CityBoundary.objects.share_covered(_box(41.60, 41.60, 41.70, 41.70)) == 0
