"""Vector tiles: points up close, counted cells further out, cached in Redis until the layer changes."""

import math
from datetime import UTC, datetime

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import timezone

from layers.demo import load_demo
from layers.models import ConstructionPermit
from layers.registry import all_layers, get_layer
from layers.tiles import AGGREGATE_BELOW_ZOOM, MAX_LEVEL, MIN_LEVEL, bump_versions, rebuild_grid, split_months
from places.models import District

FREEDOM_SQUARE = (44.7930, 41.6938)
VAKE_PARK = (44.7470, 41.7110)
PERMITS = get_layer("construction-permits")


@pytest.fixture(autouse=True)
def fresh_tile_cache():
    # Test transactions never commit, so no version bump runs between tests: start each one clean.
    bump_versions([layer.slug for layer in all_layers()])


def tile_of(lon, lat, z):
    n = 2**z
    x = (lon + 180) / 360 * n
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int(x), int(y), (x % 1) * 4096, (y % 1) * 4096


def url(z, x, y, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/layers/construction-permits/tiles/{z}/{x}/{y}.mvt" + (f"?{query}" if query else "")


def features(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    layers = mapbox_vector_tile.decode(response.content, default_options={"y_coord_down": True})
    assert set(layers) <= {"construction-permits"}
    return layers.get("construction-permits", {}).get("features", [])


def make_permit(lon, lat, status="issued", since=datetime(2025, 3, 10, 12, tzinfo=UTC), **fields):
    point = Point(lon, lat, srid=4326)
    n = ConstructionPermit.objects.count()
    values = dict(
        reference=f"N-T-{n}",
        title="სახლი",
        status=status,
        status_since=since,
        geom=point,
        point=point,
        district=District.objects.for_point(point),
        external_id=f"tile-test-{n}",
    )
    return ConstructionPermit.objects.create(**dict(values, **fields))


def test_it_serves_points_with_id_status_and_reference_up_close(client, db):
    permit = make_permit(*FREEDOM_SQUARE)
    make_permit(*VAKE_PARK)
    z, x, y, px, py = tile_of(*FREEDOM_SQUARE, 16)
    [feature] = features(client.get(url(z, x, y)))
    assert feature["id"] == permit.pk
    assert feature["properties"] == {"id": permit.pk, "status": "issued", "reference": permit.reference}
    fx, fy = feature["geometry"]["coordinates"]
    assert abs(fx - px) <= 1 and abs(fy - py) <= 1


def test_it_leaves_withdrawn_items_off_every_tile(client, db):
    make_permit(*FREEDOM_SQUARE, withdrawn_at=timezone.now())
    for zoom in (16, 10, 0):
        z, x, y, *_ = tile_of(*FREEDOM_SQUARE, zoom)
        assert features(client.get(url(z, x, y))) == []


def test_it_answers_an_empty_tile_with_an_empty_body(client, db):
    response = client.get(url(16, 0, 0))
    assert response.status_code == 200 and response.content == b""


def test_it_aggregates_below_the_aggregation_zoom_into_counted_cells(client, db):
    load_demo("construction-permits", 150, seed=11)
    total = ConstructionPermit.objects.public().count()
    [world] = features(client.get(url(0, 0, 0)))  # the whole city in one cell
    assert world["properties"]["count"] == total
    by_status = {k: v for k, v in world["properties"].items() if k not in ("count", "status")}
    assert by_status == {s: ConstructionPermit.objects.public().filter(status=s).count() for s in by_status}
    assert world["properties"]["status"] == min(by_status, key=lambda s: (-by_status[s], s))  # the most common
    for zoom in (10, 12, AGGREGATE_BELOW_ZOOM - 1):
        tiles = {tile_of(p.point.x, p.point.y, zoom)[:3] for p in ConstructionPermit.objects.all()}
        counted = sum(f["properties"]["count"] for t in tiles for f in features(client.get(url(*t))))
        assert counted == total, zoom


def test_it_places_a_lone_items_cell_where_the_item_is(client, db):
    make_permit(*VAKE_PARK)
    z, x, y, px, py = tile_of(*VAKE_PARK, 11)
    [cell] = features(client.get(url(z, x, y)))
    assert cell["properties"]["count"] == 1
    fx, fy = cell["geometry"]["coordinates"]
    assert abs(fx - px) <= 1 and abs(fy - py) <= 1


def test_it_filters_cells_by_status_district_and_dates(client, db):
    make_permit(*FREEDOM_SQUARE, status="issued", since=datetime(2025, 1, 15, tzinfo=UTC))
    make_permit(*FREEDOM_SQUARE, status="issued", since=datetime(2025, 2, 10, tzinfo=UTC))
    make_permit(*FREEDOM_SQUARE, status="refused", since=datetime(2025, 3, 31, 21, tzinfo=UTC))  # 1 April in Tbilisi
    make_permit(*VAKE_PARK, status="issued", since=datetime(2025, 4, 20, tzinfo=UTC))
    make_permit(*VAKE_PARK, status="issued", since=datetime(2024, 12, 31, tzinfo=UTC))

    def count(**params):
        return sum(f["properties"]["count"] for f in features(client.get(url(0, 0, 0, **params))))

    assert count() == 5
    assert count(status="refused") == 1
    assert count(district="vake") == 2 and count(district="1") == 3
    assert count(**{"from": "2025-01-01"}) == 4  # whole months only: the grid
    assert count(**{"from": "2025-01-16"}) == 3  # part of January from the items, the rest from the grid
    assert count(**{"from": "2025-01-16", "to": "2025-03-31"}) == 1
    assert count(**{"from": "2025-02-01", "to": "2025-04-01"}) == 2
    assert count(**{"from": "2025-02-11", "to": "2025-04-20"}) == 2  # no whole month: all from the items
    assert count(**{"to": "2025-01-31"}) == 2
    assert count(status="issued", district="vake", **{"from": "2025-04-01"}) == 1
    assert count(status="-") == 0  # the legend with every status unticked


def test_it_filters_tiles_by_text_at_every_zoom(client, db):
    make_permit(*FREEDOM_SQUARE, title="სასტუმრო")
    make_permit(*FREEDOM_SQUARE, title="სკოლა")
    [cell] = features(client.get(url(0, 0, 0, q="სასტუმ")))
    assert cell["properties"]["count"] == 1
    z, x, y, *_ = tile_of(*FREEDOM_SQUARE, 16)
    assert [f["properties"]["reference"] for f in features(client.get(url(z, x, y, q="სკოლ")))] == ["N-T-1"]


@pytest.mark.parametrize(
    "dates, months, live",
    [
        ((None, None), (None, None), []),
        (("2025-01-01", None), ("2025-01-01", None), []),
        (("2025-01-16", None), ("2025-02-01", None), [("2025-01-16", "2025-02-01")]),
        ((None, "2025-03-31"), (None, "2025-04-01"), []),
        ((None, "2025-03-30"), (None, "2025-03-01"), [("2025-03-01", "2025-03-31")]),
        (("2025-01-16", "2025-01-20"), None, [("2025-01-16", "2025-01-21")]),
        (
            ("2025-12-16", "2026-02-03"),
            ("2026-01-01", "2026-02-01"),
            [("2025-12-16", "2026-01-01"), ("2026-02-01", "2026-02-04")],
        ),
    ],
)
def test_it_splits_dates_into_whole_months_and_partial_days(dates, months, live):
    from datetime import date

    def d(value):
        return date.fromisoformat(value) if value else None

    got_months, got_live = split_months(*map(d, dates))
    assert got_months == (tuple(map(d, months)) if months else None)
    assert got_live == [tuple(map(d, r)) for r in live]


def test_it_keeps_the_grid_equal_to_a_rebuild_through_every_kind_of_change(db):
    load_demo("construction-permits", 80, seed=12)
    permits = list(ConstructionPermit.objects.order_by("id"))
    ConstructionPermit.objects.filter(pk__in=[p.pk for p in permits[:10]]).update(
        status="refused", status_since=timezone.now()
    )
    ConstructionPermit.objects.filter(pk__in=[p.pk for p in permits[10:15]]).update(withdrawn_at=timezone.now())
    ConstructionPermit.objects.filter(pk__in=[p.pk for p in permits[15:20]]).update(point=Point(*VAKE_PARK, srid=4326))
    ConstructionPermit.objects.filter(pk__in=[p.pk for p in permits[20:25]]).delete()
    maintained = _grid()
    rebuild_grid(PERMITS)
    rebuilt = _grid()
    assert maintained.keys() == rebuilt.keys()
    for key, (n, sx, sy) in rebuilt.items():
        assert maintained[key][0] == n
        assert math.isclose(maintained[key][1], sx, abs_tol=1e-9) and math.isclose(maintained[key][2], sy, abs_tol=1e-9)
    levels = {key[0] for key in rebuilt}
    assert levels == set(range(MIN_LEVEL, MAX_LEVEL + 1))
    assert (
        sum(n for key, (n, _x, _y) in rebuilt.items() if key[0] == MIN_LEVEL)
        == ConstructionPermit.objects.public().count()
    )


def _grid():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT level, cx, cy, status, district_id, month, n, sx, sy FROM layers_tile_grid "
            "WHERE layer = 'construction-permits' AND n <> 0"
        )
        return {tuple(row[:6]): tuple(row[6:]) for row in cursor.fetchall()}


def test_it_answers_a_cached_tile_without_touching_the_database(client, db, django_assert_num_queries):
    load_demo("construction-permits", 40, seed=13)
    z, x, y, *_ = tile_of(*FREEDOM_SQUARE, 12)
    first = client.get(url(z, x, y, status="issued,refused", district="mtatsminda"))
    with django_assert_num_queries(0):
        second = client.get(url(z, x, y, status="issued,refused", district="mtatsminda"))
    assert second.content == first.content and second["ETag"] == first["ETag"]
    points = client.get(url(*tile_of(*FREEDOM_SQUARE, 16)[:3]))
    with django_assert_num_queries(0):
        assert client.get(url(*tile_of(*FREEDOM_SQUARE, 16)[:3])).content == points.content


def test_it_serves_fresh_tiles_after_an_import_commits(client, db, django_capture_on_commit_callbacks):
    load_demo("construction-permits", 30, seed=14)
    before = sum(f["properties"]["count"] for f in features(client.get(url(0, 0, 0))))
    assert before == 30
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("construction-permits", 45, seed=14)  # the same 30 and 15 more
    after = sum(f["properties"]["count"] for f in features(client.get(url(0, 0, 0))))
    assert after == ConstructionPermit.objects.public().count() == 45


def test_it_keeps_serving_the_cached_tile_until_the_change_commits(client, db):
    make_permit(*FREEDOM_SQUARE)
    first = client.get(url(0, 0, 0))
    make_permit(*VAKE_PARK)  # not committed (the test's transaction), so no version bump yet
    assert client.get(url(0, 0, 0)).content == first.content
    bump_versions(["construction-permits"])  # what the commit of that change does
    assert features(client.get(url(0, 0, 0)))[0]["properties"]["count"] == 2


def test_it_starts_a_new_version_when_redis_lost_it(client, db):
    from django.core.cache import cache
    from django_redis import get_redis_connection

    make_permit(*FREEDOM_SQUARE)
    client.get(url(0, 0, 0))
    make_permit(*VAKE_PARK)
    get_redis_connection("default").delete(cache.make_key("layers:data-version:construction-permits"))
    assert features(client.get(url(0, 0, 0)))[0]["properties"]["count"] == 2


def test_it_serves_tiles_from_the_database_with_redis_down(client, db, settings):
    make_permit(*FREEDOM_SQUARE)
    settings.CACHES = {
        "default": dict(settings.CACHES["default"], LOCATION="redis://127.0.0.1:9/1"),  # nothing listens on 9
    }
    assert features(client.get(url(0, 0, 0)))[0]["properties"]["count"] == 1
    assert features(client.get(url(0, 0, 0)))[0]["properties"]["count"] == 1


def test_it_answers_304_to_a_matching_etag_and_lets_caches_keep_tiles(client, db):
    make_permit(*FREEDOM_SQUARE)
    first = client.get(url(0, 0, 0))
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    again = client.get(url(0, 0, 0), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url(0, 0, 0), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize(
    "z, x, y, field",
    [
        (23, 0, 0, "z"),
        (-1, 0, 0, "z"),
        ("a", 0, 0, "z"),
        (3, 8, 0, "x"),
        (3, 0, 8, "y"),
        (3, -1, 0, "x"),
        (2, "1.5", 0, "x"),
    ],
)
def test_it_refuses_tile_coordinates_off_the_grid(client, db, z, x, y, field):
    response = client.get(url(z, x, y))
    assert response.status_code == 400
    assert response.json()["errors"][field]


def test_it_refuses_bad_tile_filters(client, db):
    assert client.get(url(0, 0, 0, status="flying")).json()["errors"]["status"]
    assert client.get(url(0, 0, 0, district="atlantis")).json()["errors"]["district"]
    assert client.get(url(0, 0, 0, **{"from": "2025-02-30"})).json()["errors"]["from"]
    assert client.get("/api/v1/layers/ufo/tiles/0/0/0.mvt").status_code == 404


def test_it_draws_a_too_dense_points_tile_as_counted_cells(db, settings, monkeypatch):
    import mapbox_vector_tile

    from layers import tiles
    from layers.demo import load_demo
    from layers.registry import get_layer

    load_demo("construction-permits", 120, seed=11)
    monkeypatch.setattr(tiles, "MAX_POINTS_PER_TILE", 10)
    layer = get_layer("construction-permits")
    # Zoom 14 around the old town, where the demo is densest: more than 10 items.
    z, x, y = 14, 10230, 6100
    candidates = [(z, x + dx, y + dy) for dx in range(-3, 4) for dy in range(-3, 4)]
    dense = [t for t in candidates if tiles.too_dense(layer, *t)]
    assert dense, "expected a dense tile near the centre"
    data = mapbox_vector_tile.decode(tiles.render_tile(layer, *dense[0], tiles.ItemFilters()))
    features = data["construction-permits"]["features"]
    assert features and all("count" in f["properties"] and "id" not in f["properties"] for f in features)
    monkeypatch.setattr(tiles, "MAX_POINTS_PER_TILE", 100000)
    data = mapbox_vector_tile.decode(tiles.render_tile(layer, *dense[0], tiles.ItemFilters()))
    assert all("id" in f["properties"] for f in data["construction-permits"]["features"])
