"""API basics: versioned, documented, and consistent about errors."""


def test_it_serves_the_districts_as_a_feature_collection(client, db):
    response = client.get("/api/v1/districts/")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 10
    vake = next(f for f in body["features"] if f["properties"]["name_en"] == "Vake")
    assert vake["properties"]["name_ka"] == "ვაკე"
    assert vake["geometry"]["type"] == "MultiPolygon"


def test_it_credits_openstreetmap_on_every_copy_of_the_districts(client, db):
    """ODbL: whoever takes the districts from the API gets the credit with them."""
    body = client.get("/api/v1/districts/").json()
    assert body["attribution"] == "© OpenStreetMap contributors" and body["licence"] == "ODbL-1.0"
    assert {f["properties"]["attribution"] for f in body["features"]} == {"© OpenStreetMap contributors"}
    one = client.get("/api/v1/districts/", {"contains": "44.7930,41.6938"}).json()
    assert one["attribution"] == "© OpenStreetMap contributors"


def test_it_finds_the_district_holding_a_point(client, db):
    response = client.get("/api/v1/districts/", {"contains": "44.7930,41.6938"})  # Freedom Square
    features = response.json()["features"]
    assert [f["properties"]["name_en"] for f in features] == ["Mtatsminda"]


def test_it_finds_no_district_outside_the_city(client, db):
    response = client.get("/api/v1/districts/", {"contains": "41.64,41.64"})
    assert response.status_code == 200
    assert response.json()["features"] == []


def test_it_answers_a_malformed_point_with_400_and_a_message(client, db):
    for bad in ["44.79", "a,b", "44.79,41.69,3", "200,41", ""]:
        response = client.get("/api/v1/districts/", {"contains": bad})
        assert response.status_code == 400, bad
        body = response.json()
        assert body["code"] == "invalid"
        assert body["detail"].startswith("contains: ")
        assert body["errors"]["contains"]


def test_it_answers_errors_in_the_requests_language(client, db):
    response = client.get("/api/v1/districts/", {"contains": "x"}, HTTP_ACCEPT_LANGUAGE="ka")
    assert response.status_code == 400
    assert "გრძედი" in response.json()["detail"]


def test_it_refuses_writes_with_the_same_error_shape(client, db):
    response = client.post("/api/v1/districts/", {}, content_type="application/json")
    assert response.status_code == 405
    assert set(response.json()) == {"detail", "code"}


def test_it_publishes_an_openapi_3_schema(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/districts/" in schema["paths"]


def test_it_serves_browsable_docs_without_a_cdn(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_it_generates_the_schema_without_warnings(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml")],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_it_answers_an_unknown_api_path_with_json(client, db):
    response = client.get("/api/v1/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such API endpoint.", "code": "not_found"}
