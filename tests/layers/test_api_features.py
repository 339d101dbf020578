"""GET /api/v1/layers/<slug>/features/: public items as GeoJSON, filtered, paged, and strict about input."""

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.demo import load_demo
from layers.models import ConstructionPermit, TreePermit
from places.models import District

URL = "/api/v1/layers/construction-permits/features/"
FREEDOM_SQUARE = (44.7930, 41.6938)
VAKE_PARK = (44.7470, 41.7110)


def make_permit(lon, lat, status="issued", since=(2025, 3, 10), **fields):
    point = Point(lon, lat, srid=4326)
    n = ConstructionPermit.objects.count()
    values = dict(
        reference=f"N-TEST-{n:04d}",
        title="საცხოვრებელი სახლი",
        address="რუსთაველის გამზ. 1",
        status=status,
        status_since=datetime(*since, 12, 0, tzinfo=UTC),
        geom=point,
        point=point,
        district=District.objects.for_point(point),
        external_id=f"test-{n}",
    )
    values.update(fields)
    return ConstructionPermit.objects.create(**values)


def ids(response):
    assert response.status_code == 200, response.content
    return {f["id"] for f in response.json()["features"]}


def test_it_answers_a_feature_collection_built_by_the_database(client, db):
    permit = make_permit(*FREEDOM_SQUARE)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["next"] is None
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [44.793, 41.6938]}
    props = feature["properties"]
    assert props["id"] == permit.pk and props["reference"] == permit.reference
    assert (props["status"], props["status_label"]) == ("issued", "permit issued")
    assert props["district"] == "Mtatsminda"
    assert props["url"] == f"/en/layers/construction-permits/{permit.pk}/"
    assert datetime.fromisoformat(props["status_since"]) == permit.status_since


def test_it_names_districts_in_the_requests_language(client, db):
    make_permit(*FREEDOM_SQUARE)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="ka")
    assert response.json()["features"][0]["properties"]["district"] == "მთაწმინდა"


def test_it_never_shows_withdrawn_items(client, db):
    kept = make_permit(*FREEDOM_SQUARE)
    make_permit(*FREEDOM_SQUARE, withdrawn_at=timezone.now())
    assert ids(client.get(URL)) == {kept.pk}


def test_it_filters_by_box(client, db):
    centre = make_permit(*FREEDOM_SQUARE)
    make_permit(*VAKE_PARK)
    assert ids(client.get(URL, {"bbox": "44.78,41.68,44.80,41.70"})) == {centre.pk}


def test_it_filters_by_status_district_and_dates(client, db):
    issued = make_permit(*FREEDOM_SQUARE, status="issued", since=(2025, 3, 1))
    refused = make_permit(*VAKE_PARK, status="refused", since=(2025, 4, 30))
    old = make_permit(*VAKE_PARK, status="under_review", since=(2024, 1, 1))
    assert ids(client.get(URL, {"status": "issued,refused"})) == {issued.pk, refused.pk}
    assert ids(client.get(URL, {"status": "-"})) == set()  # none: what the legend asks with every box unticked
    assert ids(client.get(URL, {"district": "vake"})) == {refused.pk, old.pk}
    assert ids(client.get(URL, {"district": "1"})) == {issued.pk}
    assert ids(client.get(URL, {"from": "2025-03-01", "to": "2025-04-30"})) == {issued.pk, refused.pk}
    assert ids(client.get(URL, {"from": "2025-03-02"})) == {refused.pk}
    assert ids(client.get(URL, {"to": "2025-04-29"})) == {issued.pk, old.pk}


def test_it_counts_a_day_in_tbilisi_time(client, db):
    # 21:30 UTC on 31 March is already 1 April in Tbilisi (UTC+4).
    late = make_permit(*FREEDOM_SQUARE, status_since=datetime(2025, 3, 31, 21, 30, tzinfo=UTC))
    assert ids(client.get(URL, {"from": "2025-04-01", "to": "2025-04-01"})) == {late.pk}
    assert ids(client.get(URL, {"to": "2025-03-31"})) == set()


def test_it_searches_text_and_cadastral_codes(client, db):
    school = make_permit(*FREEDOM_SQUARE, title="სკოლა", cadastral_codes=["01.14.14.009.012"])
    hotel = make_permit(*VAKE_PARK, title="სასტუმრო", applicant_org="შპს ვაკე ჯგუფი")
    assert ids(client.get(URL, {"q": "სკოლ"})) == {school.pk}
    assert ids(client.get(URL, {"q": "01.14.14.009.012"})) == {school.pk}
    assert ids(client.get(URL, {"q": "ვაკე ჯგ"})) == {hotel.pk}
    assert ids(client.get(URL, {"q": "100%"})) == set()  # % is a character, not a wildcard


def test_it_pages_newest_status_first_with_a_next_link(client, db):
    permits = [make_permit(*FREEDOM_SQUARE, since=(2025, 1, day)) for day in range(1, 6)]
    newest_first = [p.pk for p in reversed(permits)]
    first = client.get(URL, {"limit": 2, "status": "issued"}).json()
    assert [f["id"] for f in first["features"]] == newest_first[:2]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [f["id"] for f in second["features"]] == newest_first[2:4]
    assert "status=issued" in first["next"]
    third = client.get(second["next"]).json()
    assert [f["id"] for f in third["features"]] == newest_first[4:]
    assert third["next"] is None and third["previous"]


def test_it_serves_demo_data_imported_through_the_import_core(client, db):
    load_demo("construction-permits", 30, seed=3)
    body = client.get(URL, {"limit": 1000}).json()
    assert len(body["features"]) == ConstructionPermit.objects.public().count() == 30


def test_it_serves_every_layer(client, db):
    load_demo("tree-permits", 5, seed=3)
    load_demo("projects", 5, seed=3)
    trees = client.get("/api/v1/layers/tree-permits/features/").json()["features"]
    assert len(trees) == TreePermit.objects.count() == 5
    projects = client.get("/api/v1/layers/projects/features/").json()["features"]
    assert {f["geometry"]["type"] for f in projects} <= {"LineString", "Polygon"}
    assert all(f["properties"]["url"].startswith("/ka/projects/") for f in projects)


def test_it_answers_an_unknown_layer_with_a_json_404(client, db):
    response = client.get("/api/v1/layers/flying-saucers/features/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"bbox": "44.7,41.6,44.9"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "44.7,41.6,44.9,41.8,5"}, "bbox"),
        ({"bbox": "44.7,41.6,200,41.8"}, "bbox"),
        ({"bbox": "44.7,-91,44.9,41.8"}, "bbox"),
        ({"bbox": "44.9,41.6,44.7,41.8"}, "bbox"),
        ({"bbox": "44.7,41.8,44.9,41.6"}, "bbox"),
        ({"bbox": "nan,41.6,44.9,41.8"}, "bbox"),
        ({"bbox": "40,40,46,46"}, "bbox"),
        ({"status": "issued,flying"}, "status"),
        ({"status": ""}, "status"),
        ({"district": "99"}, "district"),
        ({"district": "atlantis"}, "district"),
        ({"district": "Vake Park!"}, "district"),
        ({"from": "2025-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "20250101"}, "to"),
        ({"from": "2025-05-01", "to": "2025-04-01"}, "to"),
        ({"q": "x"}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "100001"}, "offset"),
    ],
)
def test_it_refuses_a_malformed_parameter_with_400_and_a_message(client, db, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith(f"{field}: ")
    assert body["errors"][field] and all(isinstance(m, str) and len(m) > 10 for m in body["errors"][field])


def test_it_reports_every_bad_parameter_at_once(client, db):
    body = client.get(URL, {"bbox": "1,2", "status": "nope", "limit": "5000"}).json()
    assert set(body["errors"]) == {"bbox", "status", "limit"}


def test_it_explains_an_unknown_status_by_listing_the_known_ones(client, db):
    body = client.get(URL, {"status": "flying"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "flying" in body["detail"] and "public_consultation" in body["detail"]
