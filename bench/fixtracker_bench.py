#!/usr/bin/env python
"""Fix-Tbilisi benchmark: report submission with a 3 MB photo under 20 concurrent clients, and the
staff queue with 100,000 reports. Everything runs on this machine, against loopback only.

    .venv/bin/python bench/fixtracker_bench.py [--clients 20] [--reports-per-client 10] [--queue 100000]

It uses its own database (smartmap_bench_fix on the local PostgreSQL), starts gunicorn with the
project's gunicorn.conf.py on a free port, and reports p50/p95 latency, throughput and errors.
The rate limits are real: each report comes from its own resident (email) and each phone from
its own address (X-Forwarded-For behind NUM_PROXIES=1), as two hundred residents would.
"""

import argparse
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from urllib import request as urlrequest
from urllib.error import HTTPError

import benchenv

ROOT = Path(__file__).resolve().parent.parent
DB = benchenv.db_name("smartmap_bench_fix")
DB_URL = benchenv.database_url("smartmap_bench_fix")
REDIS_URL = benchenv.redis_url(6)
PY = str(ROOT / ".venv" / "bin" / "python")


def env(**extra):
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "smartmap.settings",
        "CACHE_KEY_PREFIX": "bench-fix",
        "NUM_PROXIES": "1",
        "EMAIL_HOST": "",
        **extra,
    }


def manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(), check=True, stdout=subprocess.DEVNULL)


def prepare_database():
    benchenv.ensure_database(DB)
    manage("migrate", "--noinput")
    manage("load_tbilisi")


def load_queue(n: int):
    """n confirmed reports in Tbilservice's queue (COPY), skipped when present: its categories, every
    district, all statuses, some paused while waiting for information, a few words of
    title, so each filter of the queue has something to find and something to skip."""
    code = f"""
import random
from datetime import timedelta
from django.utils import timezone
from accounts.models import Department
from fixtracker.models import Category, Report
from layers.demo import city_points
from places.index import DistrictIndex
from smartmap.lib.copy import copy_insert
import numpy as np
have = Report.objects.filter(source="bench").count()
need = {n} - have
if need > 0:
    dept = Department.objects.get(slug="tbilservice")
    cats = list(Category.objects.filter(department=dept).order_by("slug"))
    index = DistrictIndex()
    points = city_points(need, np.random.default_rng(7), index)
    districts = index.district_ids(points)
    from django.contrib.gis.geos import Point
    now = timezone.now()
    rng = random.Random(7)
    statuses = ["new", "acknowledged", "needs_information", "in_progress", "scheduled", "resolved", "closed"]
    words = ["ნათურა", "ბოძი", "კაბელი", "შუქნიშანი", "ხვრელი", "ნაგავი"]
    batch = []
    for i, (p, d) in enumerate(zip(points, districts)):
        created = now - timedelta(hours=rng.uniform(0, 24 * 365))
        status = rng.choice(statuses)
        pt = Point(p.x, p.y, srid=4326)
        title = f"{{rng.choice(words)}} {{rng.randrange(1, 300)}}"
        batch.append(Report(reference=f"BENCH-{{have + i:07d}}", title=title, status=status,
            status_since=created, geom=pt, point=pt, district_id=d, source="bench",
            external_id=f"b{{have + i}}", category=rng.choice(cats), department=dept,
            reporter_email="bench@example.ge", confirmed_at=created,
            acknowledged_at=None if status == "new" else created + timedelta(hours=rng.uniform(0, 30)),
            paused_at=created + timedelta(hours=30) if status == "needs_information" else None,
            response_due_at=created + timedelta(hours=rng.uniform(4, 48)),
            resolution_due_at=created + timedelta(hours=rng.uniform(48, 500)), staff_notified_at=created))
        if len(batch) == 5000:
            copy_insert(Report, batch); batch = []
    copy_insert(Report, batch)
print(Report.objects.filter(source="bench").count())
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip().splitlines()[-1])


def staff_session() -> str:
    code = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import Department, Membership
User = get_user_model()
user, _ = User.objects.get_or_create(email="bench-staff@tbilservice.ge")
Membership.objects.get_or_create(user=user, department=Department.objects.get(slug="tbilservice"))
s = SessionStore()
s["_auth_user_id"] = str(user.pk)
s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
s["_auth_user_hash"] = user.get_session_auth_hash()
s.create()
print(s.session_key)
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py", "smartmap.wsgi:application"],
        cwd=ROOT,
        env=env(PORT=str(port), WEB_CONCURRENCY=str(workers), DEBUG="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urlrequest.urlopen(f"http://127.0.0.1:{port}/health/live/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def photo_3mb() -> bytes:
    """A real 3 MB JPEG: noise compresses badly, as a phone photo of a street does."""
    from PIL import Image

    rng = random.Random(1)
    side = 1400
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        size = buffer.tell()
        if 2.8e6 <= size <= 3.4e6:
            return buffer.getvalue()
        side = int(side * (3.1e6 / size) ** 0.5)


def multipart(fields: dict, photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="street.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submit_load(port: int, clients: int, per_client: int, photo: bytes) -> dict:
    latencies, errors, lock = [], [], threading.Lock()
    run = uuid.uuid4().hex[:8]  # this run's residents are new: earlier runs' reports do not count against them

    def client(n: int):
        rng = random.Random(n)
        for i in range(per_client):
            fields = {
                "category": "lamp-out",
                "lon": f"{44.75 + rng.uniform(0, 0.05):.6f}",
                "lat": f"{41.70 + rng.uniform(0, 0.03):.6f}",
                "description": "ნათურა არ ანათებს",
                "email": f"resident-{run}-{n}-{i}@bench.example",
                "idempotency_key": str(uuid.uuid4()),
            }
            body, ctype = multipart(fields, photo)
            req = urlrequest.Request(
                f"http://127.0.0.1:{port}/api/v1/reports/",
                data=body,
                method="POST",
                headers={"Content-Type": ctype, "X-Forwarded-For": f"10.77.{n}.{i + 1}"},
            )
            started = time.perf_counter()
            try:
                with urlrequest.urlopen(req, timeout=60) as response:
                    response.read()
                    ok = response.status in (200, 201)
            except HTTPError as exc:
                ok = False
                with lock:
                    errors.append(f"{exc.code}: {exc.read()[:200]!r}")
            except OSError as exc:
                ok = False
                with lock:
                    errors.append(repr(exc))
            elapsed = (time.perf_counter() - started) * 1000
            if ok:
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "requests": clients * per_client,
        "ok": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:3],
        **percentiles(latencies),
        "throughput_per_s": round(len(latencies) / wall, 1),
        "photo_bytes": len(photo),
    }


QUEUE_PAGES = (
    ("first page", ""),
    ("page 50", "page=50"),
    ("assigned to me", "mine=1"),
    ("status resolved", "status=resolved"),
    ("department", "department=tbilservice"),
    ("category", "category=damaged-pole"),
    ("overdue", "overdue=1"),
    ("district", "district=vake"),
    ("search reference", "q=BENCH-00123"),
    ("search title", "q=შუქნიშანი 17"),
    ("sort newest", "sort=newest"),
    ("sort oldest", "sort=oldest"),
)


def queue_load(port: int, session: str, rounds: int = 40) -> dict:
    """Each queue page through HTTP (gunicorn, signed in), against its floor: the page's own query
    (queue_for's SQL, 51 rows) run straight on the database, in the same run."""
    floors = queue_floor(rounds)
    results = {}
    for _ in range(8):  # every gunicorn worker loads its templates and translations once, before timing
        req = urlrequest.Request(f"http://127.0.0.1:{port}/ka/staff/", headers={"Cookie": f"sessionid={session}"})
        urlrequest.urlopen(req, timeout=60).read()
    for label, query in QUEUE_PAGES:
        path = f"/ka/staff/?{urlencode_query(query)}" if query else "/ka/staff/"
        latencies = []
        for _ in range(rounds):
            req = urlrequest.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session}"})
            started = time.perf_counter()
            with urlrequest.urlopen(req, timeout=60) as response:
                response.read()
                assert response.status == 200
            latencies.append((time.perf_counter() - started) * 1000)
        results[f"queue {label}"] = {**percentiles(latencies), "floor": floors[label]}
    return results


def urlencode_query(query: str) -> str:
    from urllib.parse import parse_qsl, urlencode

    return urlencode(parse_qsl(query))


def queue_floor(rounds: int) -> dict:
    """The raw SQL floor of each queue page: its query (as queue_for builds it) on a cursor, p50/p95."""
    code = f"""
import json, statistics, time
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from fixtracker.staff import QUEUE_PAGE, queue_for
user = get_user_model().objects.get(email="bench-staff@tbilservice.ge")
out = {{}}
for label, query in {QUEUE_PAGES!r}:
    params = QueryDict(query)
    page = int(params.get("page", 1))
    reports, _status = queue_for(user, params)
    sql, args = reports[(page - 1) * QUEUE_PAGE : page * QUEUE_PAGE + 1].query.sql_with_params()
    times = []
    for _ in range({rounds}):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    out[label] = {{"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1), "rows": len(rows)}}
print(json.dumps(out))
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def percentiles(values) -> dict:
    if not values:
        return {"p50_ms": None, "p95_ms": None}
    values = sorted(values)
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(values[int(0.95 * (len(values) - 1))], 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--reports-per-client", type=int, default=10)
    parser.add_argument("--queue", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--output", type=Path, default=None, help="where the JSON goes")
    parser.add_argument("--queue-only", action="store_true", help="skip the submission part")
    args = parser.parse_args()
    prepare_database()
    loaded = load_queue(args.queue)
    session = staff_session()
    port = free_port()
    server = start_server(port, args.workers)
    try:
        submission = {"requests": 0, "ok": 0, "errors": 0, "p50_ms": None, "p95_ms": None}
        submission.update(throughput_per_s=0, photo_bytes=0)
        if not args.queue_only:
            photo = photo_3mb()
            submission = submit_load(port, args.clients, args.reports_per_client, photo)
        queue = queue_load(port, session)
    finally:
        server.terminate()
        server.wait(30)
    results = {
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores",
        "load_average_after": benchenv.load_average(),
        "gunicorn_workers": args.workers,
        "submission": {"clients": args.clients, **submission},
        "staff_queue": {"reports": loaded, **queue},
    }
    out = args.output or ROOT / "bench" / "results" / f"fixtracker-{date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    s = results["submission"]
    print(
        f"report submission, {s['clients']} clients, {s['photo_bytes'] / 1e6:.1f} MB photo: "
        f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, {s['throughput_per_s']}/s, "
        f"{s['errors']} errors of {s['requests']}"
    )
    for label, figures in queue.items():
        floor = figures["floor"]
        print(
            f"staff {label} ({loaded} reports): p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms; "
            f"its SQL alone p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms"
        )
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
