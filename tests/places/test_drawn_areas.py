"""One rule for every endpoint that takes a drawn area (places.areas.drawn_area).

Each endpoint — the count tool, subscriptions and their preview, the subscribe page, statistics
(API and page), a forum thread's place and the forum's list by area — is sent the same bad areas
and must refuse each with a 400 that names the field, in the request's language, storing nothing;
and each takes the same good area.
"""

import json
import math

import pytest
from django.urls import reverse
from django.utils import translation

from forum.models import Thread
from subscriptions.models import Subscription
from tests.forum.conftest import established

pytestmark = pytest.mark.django_db

VAKE_BLOCK = [[44.7540, 41.7095], [44.7580, 41.7095], [44.7580, 41.7115], [44.7540, 41.7115], [44.7540, 41.7095]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


def circle_ring(count):
    ring = [
        [44.76 + 0.01 * math.cos(k / count * 2 * math.pi), 41.71 + 0.01 * math.sin(k / count * 2 * math.pi)]
        for k in range(count)
    ]
    return [*ring, ring[0]]


GOOD = polygon(VAKE_BLOCK)
# (name, area as a Python value, or as raw JSON text, words the English message holds)
BAD = [
    ("open ring", polygon(VAKE_BLOCK[:-1]), "end where it starts"),
    ("whole world", polygon([[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]), "halfway round the Earth"),
    (
        "antipodal",
        polygon([[44.75, 41.70], [-135.25, -41.70], [44.77, 41.72], [44.75, 41.70]]),
        "halfway round the Earth",
    ),
    (
        "mostly outside",  # a box across the city's western edge, three quarters of it in the hills beyond
        polygon([[44.50, 41.70], [44.68, 41.70], [44.68, 41.74], [44.50, 41.74], [44.50, 41.70]]),
        "90% of the area must lie inside Tbilisi",
    ),
    ("too many vertices", polygon(circle_ring(5001)), "more than"),
    (
        "self-intersecting",
        polygon([[44.754, 41.7095], [44.758, 41.7115], [44.758, 41.7095], [44.754, 41.7115], [44.754, 41.7095]]),
        "crosses itself",
    ),
]
DEEP = "[" * 20_000 + "]" * 20_000


def _api(client, url, body, lang):
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)


def count(client, area, lang="en"):
    return _api(client, COUNT, {"area": area}, lang), "area", None


def subscribe_api(client, area, lang="en"):
    body = {"email": "nino@example.ge", "topics": ["construction"], "events": ["new"], "area": area}
    return _api(client, SUBSCRIBE, body, lang), "area", None


def preview(client, area, lang="en"):
    body = {"topics": ["construction"], "events": ["new"], "area": area}
    return _api(client, PREVIEW, body, lang), "area", None


def subscribe_page(client, area, lang="en"):
    data = {"area_kind": "polygon", "area_geojson": _text(area), "email": "nino@example.ge"}
    data |= {"topics": "construction", "events": "new", "frequency": "instant"}
    return client.post(f"/{lang}/subscribe/", data), None, "page"


def stats_api(client, area, lang="en"):
    params = {"layer": "tree-permits", "territory": "area", "area": _text(area)}
    return client.get("/api/v1/stats/", params, HTTP_ACCEPT_LANGUAGE=lang), "area", None


def stats_page(client, area, lang="en"):
    params = {"layer": "tree-permits", "territory": "area", "area": _text(area)}
    return client.get(f"/{lang}/statistics/", params), None, "page"


def forum_place(client, area, lang="en"):
    client.force_login(established(email="tamar@example.ge"))
    data = {"section": "trees", "title": "Plane trees in Vake", "body": "Why are they cut?"}
    data |= {"place_kind": "area", "place": _text(area)}
    with translation.override(lang):
        return client.post(reverse("forum:new"), data), None, "page"


def forum_list(client, area, lang="en"):
    with translation.override(lang):
        return client.get(reverse("forum:index"), {"area": _text(area)}), None, "page"


def _text(area) -> str:
    return area if isinstance(area, str) else json.dumps(area)


COUNT, SUBSCRIBE, PREVIEW = (
    "/api/v1/layers/construction-permits/count/",
    "/api/v1/subscriptions/",
    "/api/v1/subscriptions/preview/",
)
ENDPOINTS = [count, subscribe_api, preview, subscribe_page, stats_api, stats_page, forum_place, forum_list]


def stored() -> int:
    return Subscription.objects.count() + Thread.objects.count()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.__name__)
@pytest.mark.parametrize("name, area, words", BAD, ids=[b[0] for b in BAD])
def test_every_endpoint_refuses_a_bad_area_naming_the_field(client, endpoint, name, area, words):
    before = stored()
    response, field, kind = endpoint(client, area)
    assert response.status_code == 400, response.content[:300]
    if kind == "page":
        assert words in response.content.decode()
    else:
        body = response.json()
        assert body["code"] == "invalid" and body["detail"].startswith(f"{field}: ")
        assert words in body["errors"][field][0], body
    assert stored() == before


@pytest.mark.parametrize("url", [COUNT, SUBSCRIBE, PREVIEW])
def test_json_bodies_nested_too_deep_are_refused(client, url):
    body = '{"topics": ["construction"], "events": ["new"], "area": ' + DEEP + "}"
    response = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["code"] in ("invalid", "parse_error")
    assert "nested" in response.json()["detail"] and stored() == 0


@pytest.mark.parametrize(
    "endpoint", [subscribe_page, stats_api, stats_page, forum_place, forum_list], ids=lambda e: e.__name__
)
def test_an_area_in_a_form_or_url_nested_too_deep_is_refused(client, endpoint):
    response, field, kind = endpoint(client, DEEP)
    assert response.status_code == 400
    message = response.content.decode() if kind == "page" else response.json()["errors"][field][0]
    assert "nested more than 32 levels" in message
    assert stored() == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.__name__)
def test_every_endpoint_takes_a_good_area(client, endpoint):
    response, _field, _kind = endpoint(client, GOOD)
    assert response.status_code in (200, 201, 302), response.content[:300]


def test_the_subscription_says_its_size_limit(client):
    huge = polygon([[44.73, 41.67], [44.87, 41.67], [44.87, 41.78], [44.73, 41.78], [44.73, 41.67]])  # 135 km²
    response, _field, _kind = subscribe_api(client, huge)
    assert "larger than 100 km²" in response.json()["errors"]["area"][0]
    # The count tool has no size limit: the same area is counted.
    assert count(client, huge)[0].status_code == 200


@pytest.mark.parametrize("endpoint", [count, subscribe_api, stats_api], ids=lambda e: e.__name__)
def test_refusals_speak_georgian(client, endpoint):
    response, field, _kind = endpoint(client, polygon(VAKE_BLOCK[:-1]), "ka")
    message = response.json()["errors"][field][0]
    assert "რგოლი" in message and "ring" not in message
