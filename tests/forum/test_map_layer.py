"""Threads with a place are a map layer: in the layer list, tiles, features, the popup, the area count."""

import math

import mapbox_vector_tile
import pytest
from django.utils import timezone

from forum.models import Thread
from layers.registry import all_layers
from layers.tiles import bump_versions
from tests.forum.conftest import VAKE, placed, start_thread

pytestmark = pytest.mark.django_db

VAKE_BOX = {
    "type": "Polygon",
    "coordinates": [[[44.75, 41.70], [44.76, 41.70], [44.76, 41.72], [44.75, 41.72], [44.75, 41.70]]],
}


@pytest.fixture(autouse=True)
def fresh_tiles():
    bump_versions([layer.slug for layer in all_layers()])


def _tile(lon, lat, z):
    n = 2**z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_the_forum_is_a_layer_with_its_legend_and_count(client, author):
    start_thread(author, place=placed())
    start_thread(author, title="Without a place here", body="nowhere")
    layers = {layer["slug"]: layer for layer in client.get("/api/v1/layers/", HTTP_ACCEPT_LANGUAGE="en").json()}
    forum = layers["forum"]
    assert forum["name"] == "Forum discussions"
    assert {s["code"]: s["count"] for s in forum["statuses"]}["open"] == 1


def test_a_placed_thread_is_on_its_tile_and_a_hidden_one_is_not(client, author):
    thread = start_thread(author, place=placed())
    z, x, y = _tile(VAKE.x, VAKE.y, 16)
    data = mapbox_vector_tile.decode(client.get(f"/api/v1/layers/forum/tiles/{z}/{x}/{y}.mvt").content)
    assert [f["properties"]["id"] for f in data["forum"]["features"]] == [thread.pk]
    Thread.objects.filter(pk=thread.pk).update(hidden_at=timezone.now())
    bump_versions(["forum"])
    assert client.get(f"/api/v1/layers/forum/tiles/{z}/{x}/{y}.mvt").content == b""


def test_the_popup_links_to_the_thread(client, author):
    thread = start_thread(author, place=placed())
    feature = client.get(f"/api/v1/layers/forum/features/{thread.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert feature["properties"]["title"] == thread.title
    assert feature["properties"]["url"].endswith(f"/forum/t/{thread.pk}/")


def test_threads_are_counted_in_a_drawn_area(client, author):
    start_thread(author, place=placed())
    response = client.post("/api/v1/layers/forum/count/", {"area": VAKE_BOX}, content_type="application/json")
    assert response.status_code == 200 and response.json()["total"] == 1
