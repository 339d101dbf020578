"""Every dataset in every format parses back with the public rows, their fields and geometry."""

import pytest
import shapely

from layers.registry import get_layer
from opendata.dictionary import datasets
from tests.opendata.conftest import FORMATS, body, read_csv, read_geojson, read_gpkg

ITEM_DATASETS = ("construction-permits", "tree-permits", "projects", "forum", "reports")


def public_ids(slug):
    return sorted(get_layer(slug).public_items().values_list("pk", flat=True))


def test_every_registered_layer_has_a_dataset_and_the_history_too(city):
    assert set(datasets()) == {*ITEM_DATASETS, "status-history"}


@pytest.mark.parametrize("slug", ITEM_DATASETS)
def test_it_writes_csv_with_lon_lat_and_wkt(client, city, slug):
    response = client.get(f"/api/v1/opendata/{slug}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert sorted(int(r["id"]) for r in rows) == public_ids(slug) and rows
    item = get_layer(slug).model.objects.get(pk=rows[0]["id"])
    assert float(rows[0]["lon"]) == pytest.approx(item.point.x, abs=1e-9)
    assert float(rows[0]["lat"]) == pytest.approx(item.point.y, abs=1e-9)
    assert shapely.from_wkt(rows[0]["wkt"]).equals_exact(shapely.from_wkb(bytes(item.geom.wkb)), 1e-6)
    assert list(rows[0]) == [f["field"] for f in client.get(f"/api/v1/opendata/{slug}/dictionary/").json()["fields"]]


@pytest.mark.parametrize("slug", ITEM_DATASETS)
def test_it_writes_geojson(client, city, slug):
    collection = read_geojson(client.get(f"/api/v1/opendata/{slug}.geojson"))
    assert collection["type"] == "FeatureCollection" and collection["licence"]["name"] == "CC BY 4.0"
    assert sorted(f["id"] for f in collection["features"]) == public_ids(slug)
    feature = collection["features"][0]
    item = get_layer(slug).model.objects.get(pk=feature["id"])
    assert shapely.geometry.shape(feature["geometry"]).equals_exact(shapely.from_wkb(bytes(item.geom.wkb)), 1e-6)
    assert feature["properties"]["reference"] == item.reference


@pytest.mark.parametrize("slug", ITEM_DATASETS)
def test_it_writes_a_geopackage(client, city, slug, tmp_path):
    response = client.get(f"/api/v1/opendata/{slug}.gpkg")
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    frame = read_gpkg(response, tmp_path)
    assert sorted(frame["id"].tolist()) == public_ids(slug)
    assert frame.crs.to_epsg() == 4326
    item = get_layer(slug).model.objects.get(pk=int(frame["id"].iloc[0]))
    assert frame.geometry.iloc[0].equals_exact(shapely.from_wkb(bytes(item.geom.wkb)), 1e-9)


def test_the_status_history_is_a_table_in_every_format(client, city, tmp_path):
    from layers.models import Event

    expected = Event.objects.public().exclude(new_status="").count()
    assert expected > 0
    assert len(read_csv(client.get("/api/v1/opendata/status-history.csv"))) == expected
    assert len(read_geojson(client.get("/api/v1/opendata/status-history.geojson"))["features"]) == expected
    frame = read_gpkg(client.get("/api/v1/opendata/status-history.gpkg"), tmp_path)
    assert len(frame) == expected and {"layer", "item_id", "new_status", "occurred_at"} <= set(frame.columns)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_names_its_licence(client, city, fmt):
    response = client.get(f"/api/v1/opendata/tree-permits.{fmt}")
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert "attachment" in response["Content-Disposition"]
    body(response)


def test_an_empty_selection_is_an_empty_file(client, city, tmp_path):
    assert read_csv(client.get("/api/v1/opendata/projects.csv", {"status": "-"})) == []
    assert read_geojson(client.get("/api/v1/opendata/projects.geojson", {"status": "-"}))["features"] == []
    assert len(read_gpkg(client.get("/api/v1/opendata/projects.gpkg", {"status": "-"}), tmp_path)) == 0


def test_the_licence_is_a_setting(client, city, settings):
    settings.OPEN_DATA_LICENCE, settings.OPEN_DATA_LICENCE_URL = (
        "ODbL-1.0",
        "https://opendatacommons.org/licenses/odbl/",
    )
    response = client.get("/api/v1/opendata/projects.geojson")
    assert response["Link"] == '<https://opendatacommons.org/licenses/odbl/>; rel="license"'
    assert read_geojson(response)["licence"] == {
        "name": "ODbL-1.0",
        "url": "https://opendatacommons.org/licenses/odbl/",
    }
