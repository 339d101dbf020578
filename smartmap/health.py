"""/health/ for monitors and /health/live/ for container health checks.

/health/ answers 200 only when PostgreSQL, Redis and at least one Celery worker all answer; 503
otherwise, naming what is down. /health/live/ only proves this web process serves requests, so a
Redis outage (which the site survives) never makes an orchestrator restart the web service.
"""

import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from smartmap.celery import app as celery_app


def _timed(check):
    started = time.monotonic()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a health check reports every failure, whatever its type
        detail, ok = f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}", False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT postgis_lib_version()")
        return f"PostGIS {cursor.fetchone()[0]}"


def _redis():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    client.ping()
    return "PONG"


def _celery():
    # limit=1: answer as soon as one worker replies instead of waiting out the timeout.
    replies = celery_app.control.ping(timeout=settings.HEALTH_CELERY_TIMEOUT, limit=1)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"{len(replies)} worker(s)"


@never_cache
def health(request):
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    if checks["redis"]["ok"]:
        checks["celery"] = _timed(_celery)
    else:
        # Without the broker a ping would only wait out its retries; the worker is unreachable.
        checks["celery"] = {"ok": False, "detail": "broker (Redis) is down", "ms": 0}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)


@never_cache
def live(request):
    return JsonResponse({"status": "ok"})
