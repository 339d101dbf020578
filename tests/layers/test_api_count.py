"""POST /api/v1/layers/<slug>/count/: draw a shape, count what is inside; the shape is checked first."""

import json

import pytest

from layers.demo import load_demo
from layers.models import ConstructionPermit
from smartmap.lib.geometry import parse_area

URL = "/api/v1/layers/construction-permits/count/"
OLD_TOWN = {
    "type": "Polygon",
    "coordinates": [[[44.78, 41.68], [44.82, 41.68], [44.82, 41.71], [44.78, 41.71], [44.78, 41.68]]],
}


def _post(client, body, **params):
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def _inside(area, **filters):
    items = ConstructionPermit.objects.public().filter(geom__intersects=parse_area(area), **filters)
    return items.count()


def test_it_counts_items_inside_the_area_by_status(client, db):
    load_demo("construction-permits", 120, seed=7)
    body = _post(client, {"area": OLD_TOWN}).json()
    assert body["total"] == _inside(OLD_TOWN) > 0
    assert sum(body["by_status"].values()) == body["total"]
    assert body["by_status"]["issued"] == _inside(OLD_TOWN, status="issued")


def test_it_applies_the_same_filters_in_the_body_or_the_query(client, db):
    load_demo("construction-permits", 120, seed=7)
    expected = _inside(OLD_TOWN, status__in=["issued", "refused"])
    assert _post(client, {"area": OLD_TOWN, "status": ["issued", "refused"]}).json()["total"] == expected
    assert _post(client, {"area": OLD_TOWN}, status="issued,refused").json()["total"] == expected
    assert _post(client, {"area": OLD_TOWN, "district": "mtatsminda"}).json()["total"] == _inside(
        OLD_TOWN, district__slug="mtatsminda"
    )


def test_it_counts_a_multipolygon(client, db):
    load_demo("construction-permits", 60, seed=7)
    two = {
        "type": "MultiPolygon",
        "coordinates": [OLD_TOWN["coordinates"], [[[44.74, 41.70], [44.76, 41.70], [44.76, 41.72], [44.74, 41.70]]]],
    }
    assert _post(client, {"area": two}).json()["total"] == _inside(two)


def test_it_needs_no_csrf_token(db):
    from django.test import Client

    response = _post(Client(enforce_csrf_checks=True), {"area": OLD_TOWN})
    assert response.status_code == 200


BOWTIE = [[[44.78, 41.68], [44.82, 41.71], [44.82, 41.68], [44.78, 41.71], [44.78, 41.68]]]


@pytest.mark.parametrize(
    "area, words",
    [
        (None, "draw an area"),
        ({"type": "Point", "coordinates": [44.8, 41.7]}, "Polygon"),
        ({"type": "LineString", "coordinates": [[44.8, 41.7], [44.81, 41.71]]}, "Polygon"),
        (dict(OLD_TOWN, crs={"type": "name", "properties": {"name": "EPSG:3857"}}), "crs"),
        ({"type": "Polygon", "coordinates": BOWTIE}, "crosses itself"),
        ({"type": "Polygon", "coordinates": [[[44.78, 41.68], [44.82, 41.68]]]}, "four positions"),
        ({"type": "Polygon", "coordinates": "nope"}, "no coordinates"),
        ({"type": "Polygon", "coordinates": [[[44.78, "x"], [44.82, 41.68], [44.8, 41.7], [44.78, "x"]]]}, "numbers"),
        (
            {"type": "Polygon", "coordinates": [[[244.78, 41.68], [44.82, 41.68], [44.8, 41.7], [244.78, 41.68]]]},
            "±180",
        ),
        ({"type": "Polygon", "coordinates": [[[2.30, 48.85], [2.36, 48.85], [2.36, 48.88], [2.30, 48.85]]]}, "Tbilisi"),
        ("not json at all", "JSON"),
    ],
)
def test_it_refuses_a_bad_area_with_a_message(client, db, area, words):
    response = _post(client, {"area": area}) if area is not None else _post(client, {})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"].startswith("area: ")
    assert words in body["errors"]["area"][0]


def test_it_refuses_more_than_5000_vertices(client, db):
    import math

    ring = [
        [44.8 + 0.01 * math.cos(k / 5001 * 2 * math.pi), 41.7 + 0.01 * math.sin(k / 5001 * 2 * math.pi)]
        for k in range(5001)
    ]
    ring.append(ring[0])
    body = _post(client, {"area": {"type": "Polygon", "coordinates": [ring]}}).json()
    assert "more than 5000 points" in body["errors"]["area"][0]


def test_it_refuses_bad_filters_and_a_body_that_is_not_an_object(client, db):
    assert _post(client, {"area": OLD_TOWN, "status": "flying"}).json()["errors"]["status"]
    assert _post(client, {"area": OLD_TOWN, "from": "soon"}).json()["errors"]["from"]
    response = client.post(URL, "[1, 2]", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = client.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400


def test_it_returns_the_area_as_a_geos_geometry_for_reuse(db):
    geom = parse_area(json.dumps(OLD_TOWN))
    assert (geom.geom_type, geom.srid) == ("Polygon", 4326)
    assert geom.num_coords == 5
