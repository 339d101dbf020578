"""/health/ tells monitors whether the portal can work; /health/live/ only that the web process runs."""

import pytest


def test_it_answers_live_without_touching_anything(client):
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.slow
def test_it_is_green_with_database_redis_and_a_worker(client, db, celery_worker):
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "celery"}
    assert "PostGIS" in body["checks"]["database"]["detail"]


def test_it_is_503_and_names_redis_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"]
    assert not body["checks"]["redis"]["ok"]
    assert not body["checks"]["celery"]["ok"]


def test_it_is_never_cached(client, db):
    response = client.get("/health/live/")
    assert "no-cache" in response["Cache-Control"]
