"""GET /api/v1/layers/: what the map needs to draw its layer switcher and legends."""

import pytest
from django.utils import timezone

from layers.demo import load_demo
from layers.models import ConstructionPermit
from layers.registry import all_layers
from layers.tiles import bump_versions


@pytest.fixture(autouse=True)
def fresh_counts():
    # Test transactions never commit, so nothing drops the cached counts between tests: do it here.
    bump_versions([layer.slug for layer in all_layers()])


def test_it_lists_every_layer_with_its_statuses_and_links(client, db):
    body = client.get("/api/v1/layers/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [layer["slug"] for layer in body][:3] == ["construction-permits", "tree-permits", "projects"]
    permits = body[0]
    assert permits["name"] == "Construction permits"
    assert permits["color"] == "#c2410c"
    assert permits["features_url"] == "/api/v1/layers/construction-permits/features/"
    assert permits["tiles_url"] == "/api/v1/layers/construction-permits/tiles/{z}/{x}/{y}.mvt"
    assert permits["aggregate_below_zoom"] == 14
    codes = [s["code"] for s in permits["statuses"]]
    assert codes[0] == "application_filed" and "public_consultation" in codes
    assert permits["statuses"][2] == {
        "code": "public_consultation",
        "label": "public consultation",
        "color": "#dc2626",
        "count": 0,
    }


def test_it_names_layers_in_the_requests_language(client, db):
    body = client.get("/api/v1/layers/", HTTP_ACCEPT_LANGUAGE="ka").json()
    assert body[0]["name"] == "მშენებლობის ნებართვები"


def test_it_counts_public_items_by_status(client, db):
    load_demo("construction-permits", 40, seed=5)
    ConstructionPermit.objects.filter(pk=ConstructionPermit.objects.first().pk).update(withdrawn_at=timezone.now())
    public = ConstructionPermit.objects.public()
    permits = client.get("/api/v1/layers/").json()[0]
    assert permits["count"] == public.count() == 39
    by_code = {s["code"]: s["count"] for s in permits["statuses"]}
    assert by_code == {code: public.filter(status=code).count() for code in by_code}
