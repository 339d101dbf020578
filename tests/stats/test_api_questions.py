"""The statistics API: questions, comparisons, trees, and every bad input answered with a 400 that says why."""

import json
import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point

from layers.models import TreePermit
from places.models import District
from subscriptions.models import Subscription
from tests.stats import factories

pytestmark = pytest.mark.django_db
TBILISI = ZoneInfo("Asia/Tbilisi")
AREA = {
    "type": "Polygon",
    "coordinates": [[[44.74, 41.71], [44.75, 41.71], [44.75, 41.72], [44.74, 41.72], [44.74, 41.71]]],
}

FAR_AWAY = {"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 10]]]}


def felled(district, when, **fields):
    point = fields.pop("point", None) or factories.point_in(district)
    return factories.tree_permits(
        random.Random(),
        1,
        point=point,
        district_id=district.pk,
        status_since=when,
        kind="felling",
        status="issued",
        withdrawn_at=None,
        status_date_known=True,
        **fields,
    )[0]


@pytest.fixture
def vake_and_saburtalo():
    vake, saburtalo = District.objects.get(slug="vake"), District.objects.get(slug="saburtalo")
    for month in (1, 1, 3, 12):
        felled(vake, datetime(2025, month, 10, tzinfo=TBILISI))
    for month in (1, 5):
        felled(vake, datetime(2024, month, 10, tzinfo=TBILISI))
    felled(saburtalo, datetime(2025, 1, 31, 23, 30, tzinfo=TBILISI))
    return vake, saburtalo


def test_it_compares_two_periods_by_month(client, vake_and_saburtalo):
    answer = client.get(
        "/api/v1/stats/",
        {
            "layer": "tree-permits",
            "territory": "district:vake",
            "from": "2025-01-01",
            "to": "2025-12-31",
            "compare": "period",
            "from_b": "2024-01-01",
            "to_b": "2024-12-31",
            "group": "month",
        },
    ).json()
    rows = {row["label"]: row["values"] for row in answer["rows"]}
    # Twelve rows: the months with nothing in either year are rows of zeros, not gaps.
    assert list(rows) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert {label: values for label, values in rows.items() if values != [0, 0]} == {
        "2025-01": [2, 1],
        "2025-03": [1, 0],
        "2025-05": [0, 1],
        "2025-12": [1, 0],
    }
    assert answer["totals"] == [4, 2] and answer["total_change"] == 2 and answer["total_relative_change"] == 1.0
    assert "compare=period" in answer["permalink"]


def test_empty_months_are_rows_of_zeros_within_the_period_and_between_the_found(client, vake_and_saburtalo):
    """Regression: months without items were missing, so the chart's line joined January to March."""
    asked = {"layer": "tree-permits", "territory": "district:vake", "group": "month"}
    within = client.get("/api/v1/stats/", {**asked, "from": "2024-11-01", "to": "2025-04-30"}).json()
    assert [(r["label"], r["values"]) for r in within["rows"]] == [
        ("2024-11", [0]),
        ("2024-12", [0]),
        ("2025-01", [2]),
        ("2025-02", [0]),
        ("2025-03", [1]),
        ("2025-04", [0]),
    ]
    open_ended = client.get("/api/v1/stats/", {**asked, "group": "quarter"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert [r["label"] for r in open_ended["rows"]][:2] == ["2024, quarter 1", "2024, quarter 2"]
    assert len(open_ended["rows"]) == 8 and open_ended["totals"] == [6]
    nothing = client.get("/api/v1/stats/", {**asked, "from": "2023-01-01", "to": "2023-12-31"}).json()
    assert nothing["rows"] == []


def test_it_compares_two_territories(client, vake_and_saburtalo):
    answer = client.get(
        "/api/v1/stats/",
        {
            "layer": "tree-permits",
            "territory": "district:vake",
            "compare": "territory",
            "territory_b": "district:saburtalo",
            "from": "2025-01-01",
            "to": "2025-12-31",
        },
    ).json()
    assert answer["rows"][0]["values"] == [4, 1] and answer["rows"][0]["relative_change"] == 3.0


def test_a_drawn_area_in_the_query_string(client):
    factories.tree_permits(random.Random(1), 1, point=Point(44.745, 41.715, srid=4326), withdrawn_at=None)
    answer = client.get(
        "/api/v1/stats/", {"layer": "tree-permits", "territory": "area", "area": json.dumps(AREA)}
    ).json()
    assert answer["totals"] == [1]


def test_trees_by_species_and_diameter(client, vake_and_saburtalo):
    vake = vake_and_saburtalo[0]
    felled(
        vake,
        datetime(2025, 6, 1, tzinfo=TBILISI),
        trees=[{"species": "Pinus nigra", "diameter_cm": 45}, {"species": "Pinus nigra", "diameter_cm": 41}],
        tree_count=3,
    )
    TreePermit.objects.exclude(trees__contains=[{"species": "Pinus nigra"}]).update(trees=[], tree_count=1)
    answer = client.get(
        "/api/v1/stats/trees/",
        {"territory": "district:vake", "from": "2025-06-01", "to": "2025-06-30"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert answer["total"] == 3
    assert [(r["species"], r["diameter"], r["trees"]) for r in answer["rows"]] == [
        ("", "diameter not given", 1),
        ("Pinus nigra", "40–59 cm", 2),
    ]


def test_my_subscription_area_is_mine_only(client, resident, stranger):
    mine = Subscription.objects.create(
        user=resident,
        email=resident.email,
        area_kind="district",
        district=District.objects.get(slug="vake"),
        kinds=["created"],
    )
    client.force_login(stranger)
    response = client.get(
        "/api/v1/stats/", {"layer": "reports", "territory": f"subscription:{mine.pk}"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "subscription" in response.json()["detail"]
    client.force_login(resident)
    assert client.get("/api/v1/stats/", {"layer": "reports", "territory": f"subscription:{mine.pk}"}).status_code == 200


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "layer"),
        ({"layer": "nope"}, "layer"),
        ({"layer": "tree-permits", "group": "week"}, "group"),
        ({"layer": "tree-permits", "status": "built"}, "status"),
        ({"layer": "tree-permits", "kind": "chopping"}, "kind"),
        ({"layer": "tree-permits", "from": "2025-13-01"}, "from"),
        ({"layer": "tree-permits", "from": "2025-02-01", "to": "2025-01-01"}, "to"),
        ({"layer": "tree-permits", "territory": "district:atlantis"}, "territory"),
        ({"layer": "tree-permits", "territory": "subdistrict:99"}, "territory"),
        ({"layer": "tree-permits", "territory": "moon"}, "territory"),
        ({"layer": "tree-permits", "territory": "area"}, "territory"),
        ({"layer": "tree-permits", "territory": "area", "area": "{not json"}, "area"),
        (
            {
                "layer": "tree-permits",
                "territory": "area",
                "area": json.dumps({"type": "Point", "coordinates": [1, 2]}),
            },
            "area",
        ),
        ({"layer": "tree-permits", "territory": "area", "area": json.dumps(FAR_AWAY)}, "area"),
        ({"layer": "tree-permits", "compare": "yesterday"}, "compare"),
        ({"layer": "tree-permits", "compare": "period", "group": "month", "from": "2025-01-01"}, "from_b"),
        ({"layer": "tree-permits", "compare": "territory", "territory_b": "district:nowhere"}, "territory_b"),
    ],
)
def test_bad_questions_get_a_400_naming_the_parameter(client, params, field):
    response = client.get("/api/v1/stats/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


def test_bad_questions_are_explained_in_georgian(client):
    response = client.get("/api/v1/stats/", {"layer": "tree-permits", "group": "week"}, HTTP_ACCEPT_LANGUAGE="ka")
    assert response.status_code == 400 and "week" in response.json()["detail"]
    assert any("\u10d0" <= ch <= "\u10ff" for ch in response.json()["detail"])


def test_options_list_layers_kinds_and_territories(client):
    options = client.get("/api/v1/stats/options/").json()
    trees = next(layer for layer in options["layers"] if layer["slug"] == "tree-permits")
    assert {v["code"] for v in trees["kind"]["values"]} == {"felling", "transplanting"}
    assert len([t for t in options["territories"] if t["code"].startswith("subdistrict:")]) == 25


def test_it_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/stats/" in schema and "/api/v1/stats/trees/" in schema
