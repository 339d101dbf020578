"""POST /api/v1/subscriptions/: what residents can ask for, and every way to ask wrongly."""

import pytest
from django.core import mail

from subscriptions.models import ConfirmationRequest, Subscription, SubscriptionPart
from tests.subscriptions.conftest import VAKE_BLOCK

URL = "/api/v1/subscriptions/"


def _post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def _body(**overrides):
    body = {
        "email": "nino@example.ge",
        "area": VAKE_BLOCK,
        "topics": ["construction", "trees"],
        "events": ["new", "status"],
        "frequency": "instant",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def test_it_stores_a_drawn_area_and_asks_for_confirmation(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _body(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["confirmed"] is False and body["confirmation"] == "sent"
    assert body["area"]["type"] == "MultiPolygon"
    subscription = Subscription.objects.get()
    assert subscription.parts.count() >= 1 and subscription.language == "en"
    assert len(mail.outbox) == 1 and "/en/subscriptions/confirm/" in mail.outbox[0].body


def test_it_confirms_a_verified_account_at_once(client, resident):
    client.force_login(resident)
    response = _post(client, _body(email=None))
    assert response.status_code == 201
    assert response.json()["confirmed"] is True and response.json()["email"] == resident.email
    assert mail.outbox == []


@pytest.mark.parametrize(
    "area",
    [
        {"district": 2},
        {"district": "vake"},
        {"point": [44.7560, 41.7105], "radius_m": 300},
        {"point": {"lon": 44.7560, "lat": 41.7105}, "radius_m": 1500},
        {"city": True},
    ],
)
def test_it_takes_a_district_a_circle_or_all_of_tbilisi(client, db, area):
    response = _post(client, _body(area=None, **area))
    assert response.status_code == 201, response.json()


def test_it_lists_topics_and_events(client, db):
    body = client.get("/api/v1/subscriptions/topics/", HTTP_ACCEPT_LANGUAGE="ka").json()
    assert {"construction", "trees", "projects", "reports"} <= {t["code"] for t in body["topics"]}
    assert {e["code"] for e in body["events"]} == {"new", "status", "consultation", "deadlines"}
    assert body["limits"]["max_vertices"] == 5000


def test_it_estimates_notifications_per_month(client, db):
    from tests.subscriptions.conftest import happen

    for i in range(24):
        happen(item_id=i, occurred_days_ago=i * 10)
    body = client.post("/api/v1/subscriptions/preview/", _body(), content_type="application/json").json()
    assert body == {"last_year": 24, "per_month": 2.0}


def test_it_refuses_a_flood_of_confirmation_emails(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert _post(client, _body()).status_code == 201
        response = _post(client, _body(), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 429
        assert "hour" in response.json()["detail"]
        other = [_post(client, _body(email=f"x{i}@example.ge"), REMOTE_ADDR="10.9.9.9").status_code for i in range(11)]
    assert other[:10] == [201] * 10 and other[10] == 429
    assert len(mail.outbox) == 13


def _ring(*coords):
    return {"type": "Polygon", "coordinates": [[list(c) for c in coords]]}


BOWTIE = _ring((44.754, 41.7095), (44.758, 41.7115), (44.758, 41.7095), (44.754, 41.7115), (44.754, 41.7095))
TINY = _ring((44.7560, 41.7105), (44.75601, 41.7105), (44.75601, 41.71051), (44.7560, 41.7105))
HUGE = _ring((44.6, 41.6), (45.0, 41.6), (45.0, 41.85), (44.6, 41.85), (44.6, 41.6))
BATUMI = _ring((41.63, 41.64), (41.64, 41.64), (41.64, 41.65), (41.63, 41.65), (41.63, 41.64))
MANY = {
    "type": "Polygon",
    "coordinates": [[[44.75 + 0.00001 * i, 41.71 + (0.0001 if i % 2 else 0)] for i in range(5100)] + [[44.75, 41.71]]],
}

BAD = [
    ("area", {"area": {"type": "Point", "coordinates": [44.75, 41.71]}}),
    ("area", {"area": {"type": "LineString", "coordinates": [[44.75, 41.71], [44.76, 41.72]]}}),
    ("area", {"area": {"type": "GeometryCollection", "geometries": []}}),
    ("area", {"area": {"type": "Feature", "geometry": VAKE_BLOCK}}),
    ("area", {"area": {**VAKE_BLOCK, "crs": {"type": "name", "properties": {"name": "EPSG:32638"}}}}),
    ("area", {"area": "POLYGON((44.75 41.71, 44.76 41.71, 44.76 41.72, 44.75 41.71))"}),
    ("area", {"area": []}),
    ("area", {"area": {"type": "Polygon"}}),
    ("area", {"area": {"type": "Polygon", "coordinates": []}}),
    ("area", {"area": {"type": "Polygon", "coordinates": [[]]}}),
    ("area", {"area": _ring((44.75, 41.71), (44.76, 41.71), (44.75, 41.71))}),
    ("area", {"area": _ring((44.75, 41.71), (44.76, 41.71), (44.76, 41.72), (44.75, 41.72))}),
    ("area", {"area": _ring((44.75, 41.71), ("x", 41.71), (44.76, 41.72), (44.75, 41.71))}),
    ("area", {"area": _ring((44.75, 41.71), (44.76,), (44.76, 41.72), (44.75, 41.71))}),
    ("area", {"area": _ring((44.75, 41.71), (244.76, 41.71), (44.76, 41.72), (44.75, 41.71))}),
    ("area", {"area": _ring((44.75, 41.71), (44.76, 141.71), (44.76, 41.72), (44.75, 41.71))}),
    ("area", {"area": _ring((44.75, 41.71), (True, 41.71), (44.76, 41.72), (44.75, 41.71))}),
    ("area", {"area": BOWTIE}),
    ("area", {"area": TINY}),
    ("area", {"area": HUGE}),
    ("area", {"area": BATUMI}),
    ("area", {"area": MANY}),
    ("area", {"area": VAKE_BLOCK, "district": 2}),
    ("area", {"area": None}),
    ("district", {"area": None, "district": 42}),
    ("district", {"area": None, "district": "atlantis"}),
    ("point", {"area": None, "point": [44.756, 41.7105]}),
    ("point", {"area": None, "point": [44.756, 41.7105], "radius_m": 10}),
    ("point", {"area": None, "point": [44.756, 41.7105], "radius_m": 50000}),
    ("point", {"area": None, "point": [41.64, 41.64], "radius_m": 300}),
    ("point", {"area": None, "point": ["east", 41.7], "radius_m": 300}),
    ("point", {"area": None, "point": [44.756], "radius_m": 300}),
    ("radius_m", {"area": None, "point": [44.756, 41.7105], "radius_m": "far"}),
    ("item", {"area": None, "item": {"layer": "construction-permits", "id": 999999}}),
    ("item", {"area": None, "item": {"layer": "parking", "id": 1}}),
    ("item", {"area": None, "item": "permit 7"}),
    ("city", {"area": None, "city": "yes please"}),
    ("topics", {"topics": []}),
    ("topics", {"topics": ["parking"]}),
    ("topics", {"topics": "construction"}),
    ("events", {"events": []}),
    ("events", {"events": ["everything"]}),
    ("frequency", {"frequency": "hourly"}),
    ("email", {"email": "not-an-email"}),
    ("email", {"email": None}),
    ("language", {"language": "fr"}),
]


@pytest.mark.parametrize("field, changes", BAD, ids=[f"{i}-{f}" for i, (f, _c) in enumerate(BAD)])
def test_it_refuses_bad_input_with_400_and_stores_nothing(client, db, field, changes):
    response = _post(client, _body(**changes))
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"], body
    assert body["detail"] and body["errors"][field][0]
    assert Subscription.objects.count() == 0 and SubscriptionPart.objects.count() == 0
    assert ConfirmationRequest.objects.count() == 0 and mail.outbox == []


def test_it_explains_a_refusal_in_georgian(client, db):
    response = _post(client, _body(area=BOWTIE), HTTP_ACCEPT_LANGUAGE="ka")
    assert response.status_code == 400
    message = response.json()["errors"]["area"][0]
    assert "კვეთ" in message and "41.71050, 44.75600" in message and "Self-intersection" not in message


def test_it_refuses_malformed_json(client, db):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_it_lets_owners_pause_rename_and_delete(client, resident, stranger):
    client.force_login(resident)
    pk = _post(client, _body(email=None)).json()["id"]
    assert client.patch(f"{URL}{pk}/", {"paused": True, "name": "სახლთან"}, content_type="application/json").json()[
        "paused"
    ]
    assert client.get(URL).json()[0]["name"] == "სახლთან"
    assert client.patch(f"{URL}{pk}/", {"paused": "maybe"}, content_type="application/json").status_code == 400
    client.force_login(stranger)
    assert client.get(f"{URL}{pk}/").status_code == 404
    assert client.delete(f"{URL}{pk}/").status_code == 404
    client.force_login(resident)
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert Subscription.objects.get(pk=pk).unsubscribed_at is not None
    assert client.get(URL).json() == []
