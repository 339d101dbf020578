"""A filtered export holds what the API's pages and the statistics count for the same parameters;
bad parameters answer 400 naming each, in the request's language; unknown datasets and formats 404."""

import random

import pytest

from layers.registry import get_layer
from stats import engine
from stats.questions import parse_question
from tests.opendata.conftest import read_csv, read_geojson
from tests.stats import factories

VAKE_BOX = "44.735,41.705,44.759,41.723"


@pytest.fixture
def trees(db):
    return factories.tree_permits(random.Random(7), 300)


def _ids(rows):
    return sorted(int(r["id"]) for r in rows)


@pytest.mark.parametrize(
    "params",
    [{}, {"bbox": "44.74,41.71,44.75,41.72"}, {"status": "issued,refused"}, {"district": "vake"},
     {"q": "tree"}, {"status": "-"}],
)  # fmt: skip
def test_the_api_filters_choose_what_the_features_api_gives(client, trees, params):
    exported = _ids(read_csv(client.get("/api/v1/opendata/tree-permits.csv", params)))
    api = client.get("/api/v1/layers/tree-permits/features/", {**params, "limit": 1000}).json()
    assert exported == sorted(f["id"] for f in api["features"])


@pytest.mark.parametrize(
    "params",
    [{"from": "2024-03-10", "to": "2025-02-20"}, {"territory": "subdistrict:5"}, {"territory": "district:vake"},
     {"kind": "felling", "category": "hazard,sanitary"}, {"territory": "area", "from": "2024-01-01",
      "area": '{"type":"Polygon","coordinates":[[[44.74,41.71],[44.752,41.71],[44.752,41.72],[44.74,41.71]]]}'}],
)  # fmt: skip
def test_the_statistics_filters_choose_what_the_statistics_count(client, trees, params):
    rows = read_csv(client.get("/api/v1/opendata/tree-permits.csv", params))
    question = parse_question({**params, "layer": "tree-permits"})
    side, layer = question.sides[0], get_layer("tree-permits")
    counted = engine.plain_counts(
        layer, question.layer_filter(layer), side.territory, side.date_from, side.date_to, "status"
    )
    by_status = {}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    assert by_status == counted and rows


def test_filters_apply_in_every_format(client, trees, tmp_path):
    from tests.opendata.conftest import read_gpkg

    params = {"bbox": VAKE_BOX, "status": "issued", "from": "2024-01-01"}
    csv_ids = _ids(read_csv(client.get("/api/v1/opendata/tree-permits.csv", params)))
    geo_ids = sorted(
        f["id"] for f in read_geojson(client.get("/api/v1/opendata/tree-permits.geojson", params))["features"]
    )
    gpkg_ids = sorted(read_gpkg(client.get("/api/v1/opendata/tree-permits.gpkg", params), tmp_path)["id"].tolist())
    assert csv_ids == geo_ids == gpkg_ids and csv_ids


def test_the_status_history_filters_by_layer_and_day(client, city):
    rows = read_csv(client.get("/api/v1/opendata/status-history.csv", {"layer": "reports"}))
    assert rows and {r["layer"] for r in rows} == {"reports"}
    assert read_csv(client.get("/api/v1/opendata/status-history.csv", {"from": "2100-01-01"})) == []


@pytest.mark.parametrize("language", ["ka", "en"])
def test_bad_parameters_are_a_400_naming_each_in_the_requests_language(client, db, language):
    params = {"bbox": "1,2", "status": "sideways", "from": "March", "territory": "moon", "lang": language}
    response = client.get("/api/v1/opendata/tree-permits.csv", params)
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert {"bbox", "status", "from", "territory"} <= set(errors)
    text = " ".join(m for messages in errors.values() for m in messages)
    georgian = any("\u10d0" <= ch <= "\u10ff" for ch in text)
    assert georgian == (language == "ka"), text


def test_bad_history_parameters_are_a_400(client, db):
    response = client.get("/api/v1/opendata/status-history.csv", {"layer": "nope", "to": "2025-13-01", "lang": "en"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"layer", "to"}


def test_district_and_territory_must_agree(client, db):
    response = client.get("/api/v1/opendata/tree-permits.csv", {"district": "vake", "territory": "district:saburtalo"})
    assert response.status_code == 400 and "district" in response.json()["errors"]


@pytest.mark.parametrize("url", ["/api/v1/opendata/nothing.csv", "/api/v1/opendata/reports.xlsx",
                                 "/api/v1/opendata/nothing/dictionary/"])  # fmt: skip
def test_unknown_datasets_and_formats_are_a_404(client, db, url):
    response = client.get(url, {"lang": "en"})
    assert response.status_code == 404 and "There is no" in response.json()["detail"]
