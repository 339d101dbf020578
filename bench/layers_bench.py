#!/usr/bin/env python
"""Benchmark of the layers API at city scale: GeoJSON and vector tiles, against their SQL floor and tipg.

    .venv/bin/python bench/layers_bench.py [--items 1000000] [--rounds 3] [--no-tipg]

It uses its own database, smartmap_bench, on the local PostgreSQL (created, migrated and given the
Tbilisi districts on first use) and Redis database 2, so nothing of the developer's data is
touched. The construction permits are loaded with COPY, not through the import core (a million
items with their events would take an hour): points from layers.demo.city_points (denser in the
centre), triggers off during the load, then layers.tiles.rebuild_grid() computes the tile grid. A
table that already holds --items permits is reused as it is.

Then, one after the other, on a fixed sample of places (dense centre, sparse edges):
  a. GeoJSON bbox pages through the app (gunicorn with gunicorn.conf.py on a free loopback port),
  b. the same query straight to PostgreSQL (the SQL-built GeoJSON floor),
  c. vector tiles through the app, uncached: before each request the layer's data version in Redis
     is replaced, exactly what a committed import does, so the request misses the cache,
  d. the same tile query straight to PostgreSQL (the ST_AsMVT floor),
  e. cached tiles through the app, counting the bench database's transactions meanwhile (must be 0),
  f. the same tiles from tipg (bench/.venv-tipg, created on first use) on another loopback port,
  g. the densest tiles at zooms 10-12 through the app, uncached.
It prints p50/p95 in milliseconds and writes bench/results/layers-<date>.json.
"""

import argparse
import http.client
import json
import math
import os
import platform
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchenv

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
TIPG_VENV = BENCH / ".venv-tipg"
DB_NAME = benchenv.db_name("smartmap_bench")
PG = benchenv.PG
DATABASE_URL = benchenv.database_url("smartmap_bench")
LAYER = "construction-permits"
TABLE = "layers_constructionpermit"

# (name, lon, lat, dense?): the busy centres of layers.demo.CENTRES and quiet places near the edges.
PLACES = [
    ("old-town", 44.800, 41.695, True),
    ("vake-saburtalo", 44.755, 41.720, True),
    ("isani", 44.850, 41.690, True),
    ("didube", 44.790, 41.760, False),
    ("samgori-east", 44.950, 41.704, False),
    ("gldani-north", 44.836, 41.790, False),
    ("mtatsminda-west", 44.705, 41.670, False),
]
POINT_ZOOMS = (14, 15, 16)
CELL_ZOOMS = (10, 11, 12, 13)
# Viewports: about a phone screen at zoom 15 and a desktop screen at zoom 14, in degrees.
BOXES = {"z15-view": (0.010, 0.008), "z14-view": (0.040, 0.025)}
BUDGET_SECONDS = 150  # per measurement: loops stop early rather than run away on a slow server


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="requests per sample and measurement")
    parser.add_argument("--no-tipg", action="store_true", help="skip tipg (f)")
    parser.add_argument("--output", type=Path, default=None, help="where the JSON goes")
    args = parser.parse_args()
    started = time.monotonic()
    env = _environment()
    os.environ.update(env)
    _ensure_database()
    _manage("migrate", "--no-input", env=env)
    _manage("load_tbilisi", env=env)
    _django()
    loaded = _load_items(args.items)
    servers = []
    (BENCH / "results").mkdir(exist_ok=True)
    try:
        app_port = _start(servers, _gunicorn(env), "/health/live/")
        tipg_port = None if args.no_tipg else _start(servers, _tipg(), "/collections")
        results = _measure(args, app_port, tipg_port)
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(30)
    report = _report(args, results, loaded, time.monotonic() - started)
    print(report["table"])
    path = args.output or BENCH / "results" / f"layers-{datetime.now():%Y-%m-%d}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({k: v for k, v in report.items() if k != "table"}, indent=2) + "\n")
    print(f"\nwritten to {path}")


# --- Set-up ------------------------------------------------------------------------------------------


def _environment() -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "smartmap.settings",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": benchenv.redis_url(2),
        "CACHE_KEY_PREFIX": "smartmap-bench",
        # As in production: DEBUG off (no query log kept per request), plain HTTP on loopback.
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }


def _ensure_database():
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            print(f"created database {DB_NAME}")
    with psycopg.connect(dbname=DB_NAME, autocommit=True, **PG) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def _manage(*args, env):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL
    )


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import translation

    translation.activate("ka")


def _load_items(n: int) -> dict:
    """COPY n construction permits into the bench database unless it holds exactly n; rebuild the grid."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        have = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM layers_tile_grid WHERE layer = %s", [LAYER])
        cells = cursor.fetchone()[0]
    if have == n and cells:
        print(f"{TABLE} already holds {n} items: reusing them")
        return {"loaded": False, "seconds": 0}
    started = time.monotonic()
    _copy_permits(n)
    from layers.registry import get_layer
    from layers.tiles import rebuild_grid

    grid_started = time.monotonic()
    written = rebuild_grid(get_layer(LAYER))
    grid_seconds = time.monotonic() - grid_started
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TABLE}")
        cursor.execute("VACUUM ANALYZE layers_tile_grid")
    seconds = time.monotonic() - started
    print(f"loaded {n} items in {seconds:.0f} s (grid: {written} rows in {grid_seconds:.1f} s)")
    return {"loaded": True, "seconds": round(seconds, 1), "grid_rows": written, "grid_seconds": round(grid_seconds, 1)}


def _copy_permits(n: int):
    import numpy as np
    import shapely
    from django.db import connection, transaction

    from layers.demo import PERMIT_PATHS, PURPOSES, STREETS, city_points
    from places.index import DistrictIndex

    rng = np.random.default_rng(20261122)
    index = DistrictIndex()
    print(f"generating {n} points…", flush=True)
    points = np.array(city_points(n, rng, index), dtype=object)
    districts = index.district_ids(points)
    geoms = shapely.to_wkb(shapely.set_srid(points, 4326), hex=True, include_srid=True)
    statuses = [path[-1] for path in PERMIT_PATHS]
    status = rng.integers(0, len(statuses), n)
    now = datetime.now(UTC)
    ages = rng.uniform(0, 730 * 86400, n)
    purpose = rng.integers(0, len(PURPOSES), n)
    street = rng.integers(0, len(STREETS), n)
    columns = (
        "reference, title, description, address, status, status_since, geom, point, district_id, documents, "
        "source, external_id, is_demo, created_at, updated_at, cadastral_codes, purpose, applicant_org, "
        "consultation_info, source_status, status_date_known"
    )
    print(f"copying {n} rows…", flush=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")  # its trigger clears the layer's grid too
        # Triggers off for the load (the grid is rebuilt in one pass after it), FK checks too:
        # every district id comes from the districts table just read.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
            for i in range(n):
                ref = f"BENCH-P-{i:07d}"
                code = f"01.{10 + i % 10}.{i % 90 + 10:02d}.{i % 999 + 1:03d}.{i % 97 + 1:03d}"
                copy.write_row(
                    (
                        ref,
                        PURPOSES[purpose[i]],
                        "",
                        f"{STREETS[street[i]][0]} {i % 180 + 1}",
                        statuses[status[i]],
                        now - timedelta(seconds=float(ages[i])),
                        geoms[i],
                        geoms[i],
                        districts[i],
                        "[]",
                        "bench",
                        ref,
                        True,
                        now,
                        now,
                        [code],
                        PURPOSES[purpose[i]],
                        f"შპს ბენჩი {i % 400}",
                        "",
                        "",  # COPY fills no model defaults: every NOT NULL column is written here
                        True,
                    )
                )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(env):
    port = _free_port()
    log = open(ROOT / "var" / "bench-gunicorn.log", "w")
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py", "smartmap.wsgi:application"]
    # Two workers on two cores; requests are sent one at a time.
    proc_env = {
        **os.environ,
        **env,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # CONN_MAX_AGE=None: see bench/settings.py
    }
    return port, subprocess.Popen(cmd, cwd=ROOT, env=proc_env, stdout=log, stderr=subprocess.STDOUT)


def _tipg():
    if not (TIPG_VENV / "bin" / "uvicorn").exists():
        print("creating bench/.venv-tipg with tipg…", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(TIPG_VENV)], check=True)
        subprocess.run([str(TIPG_VENV / "bin/pip"), "install", "-q", "tipg", "uvicorn"], check=True)
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"postgresql://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{DB_NAME}",
        "TIPG_DB_TABLES": json.dumps([f"public.{TABLE}"]),
        # The same work as ours: every feature in the tile (tipg stops at 10,000 by default) and the
        # same 64-unit buffer (tipg's default is 256).
        "TIPG_MAX_FEATURES_PER_TILE": "5000000",
        "TIPG_TILE_BUFFER": "64",
    }
    log = open(ROOT / "var" / "bench-tipg.log", "w")
    cmd = [
        str(TIPG_VENV / "bin/uvicorn"),
        "tipg.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    # cwd: an empty folder, so tipg reads no stray .env file.
    return port, subprocess.Popen(cmd, cwd=BENCH / "results", env=env, stdout=log, stderr=subprocess.STDOUT)


def _start(servers, started, ready_path) -> int:
    port, proc = started
    servers.append(proc)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(port, ready_path)
            return port
        except (OSError, RuntimeError):
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited at start; see var/bench-*.log") from None
            time.sleep(0.3)
    raise RuntimeError(f"{proc.args[0]} did not answer on port {port} within 60 s")


def _get(port, path, headers=None) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status not in (200, 204, 304):
        raise RuntimeError(f"GET {path} answered {response.status}: {body[:200]!r}")
    return body


# --- Samples -----------------------------------------------------------------------------------------


def tile_of(lon, lat, z):
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def _tile_sample():
    tiles = []
    for _name, lon, lat, _dense in PLACES:
        for z in CELL_ZOOMS + POINT_ZOOMS:
            if tile_of(lon, lat, z) not in tiles:
                tiles.append(tile_of(lon, lat, z))
    return tiles


def _box_sample():
    boxes = []
    for name, lon, lat, _dense in PLACES:
        for view, (w, h) in BOXES.items():
            boxes.append((f"{name}/{view}", (lon - w / 2, lat - h / 2, lon + w / 2, lat + h / 2)))
    return boxes


def _densest_tiles(per_zoom=3):
    """The tiles at zooms 10-12 holding the most items, read from the grid."""
    from django.db import connection

    from layers.tiles import GRID_BITS

    tiles = []
    with connection.cursor() as cursor:
        for z in (10, 11, 12):
            cursor.execute(
                "SELECT cx >> %s, cy >> %s, sum(n) FROM layers_tile_grid WHERE layer = %s AND level = %s "
                "GROUP BY 1, 2 ORDER BY 3 DESC LIMIT %s",
                [GRID_BITS, GRID_BITS, LAYER, z + GRID_BITS, per_zoom],
            )
            tiles += [((z, x, y), int(n)) for x, y, n in cursor.fetchall()]
    return tiles


# --- Measurements ------------------------------------------------------------------------------------


def _timed(calls, rounds, before=None) -> dict:
    """Run each call `rounds` times (round-robin), timing only the call; stop at the time budget."""
    per_call = [[] for _ in calls]
    sizes, deadline = [], time.monotonic() + BUDGET_SECONDS
    for _round in range(rounds):
        for k, call in enumerate(calls):
            if time.monotonic() > deadline:
                break
            if before:
                before()
            t0 = time.perf_counter()
            body = call()
            per_call[k].append((time.perf_counter() - t0) * 1000)
            sizes.append(len(body))
    stats = _stats([t for times in per_call for t in times], sizes, len(calls) * rounds)
    stats["sample_medians_ms"] = [round(_pct(sorted(times), 50), 2) if times else None for times in per_call]
    return stats


def _pct(ordered, p):
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def _stats(times, sizes, planned) -> dict:
    ordered = sorted(times)
    return {
        "n": len(times),
        "planned": planned,
        "p50_ms": round(_pct(ordered, 50), 2) if ordered else None,
        "p95_ms": round(_pct(ordered, 95), 2) if ordered else None,
        "max_ms": round(max(times), 2) if times else None,
        "mean_bytes": int(sum(sizes) / len(sizes)) if sizes else 0,
    }


def _raw_connection():
    import psycopg

    # Client-side binding, UTC sessions: the very statements Django sends, with the same results.
    conn = psycopg.connect(dbname=DB_NAME, autocommit=True, cursor_factory=psycopg.ClientCursor, **PG)
    conn.execute("SET TimeZone = 'UTC'")
    return conn


def _raw(conn, sql, params):
    def run():
        row = conn.execute(sql, params).fetchone()
        return row[0].encode() if isinstance(row[0], str) else bytes(row[0] or b"")

    return run


def _measure(args, app, tipg) -> dict:
    from layers.features import collection_sql
    from layers.filters import ItemFilters
    from layers.registry import get_layer
    from layers.tiles import AGGREGATE_BELOW_ZOOM, bump_versions, tile_sql

    layer, rounds, raw = get_layer(LAYER), args.rounds, _raw_connection()
    tiles, boxes, densest = _tile_sample(), _box_sample(), _densest_tiles()
    point_tiles = [t for t in tiles if t[0] >= AGGREGATE_BELOW_ZOOM]
    cell_tiles = [t for t in tiles if t[0] < AGGREGATE_BELOW_ZOOM]

    def tile_path(t):
        return f"/api/v1/layers/{LAYER}/tiles/{t[0]}/{t[1]}/{t[2]}.mvt"

    def box_path(box):
        return f"/api/v1/layers/{LAYER}/features/?bbox={','.join(f'{v:.6f}' for v in box)}&limit=1000"

    def bump():
        bump_versions([LAYER])  # what a committed import does: every cached tile becomes unreachable

    def app_calls(port, paths):
        return [lambda p=p: _get(port, p) for p in paths]

    for t in tiles[:3]:  # warm-up: connections, imports, PostGIS caches
        _get(app, tile_path(t))
        raw.execute(*tile_sql(layer, *t, ItemFilters()))
    results = {}
    print("measuring…", flush=True)
    box_rows = [box for _name, box in boxes]
    results["a_geojson_app"] = _timed(app_calls(app, [box_path(b) for b in box_rows]), rounds)
    results["b_geojson_sql"] = _timed(
        [_raw(raw, *collection_sql(layer, ItemFilters(bbox=b), 1000, 0)) for b in box_rows], rounds
    )
    for name, sample in (("points", point_tiles), ("cells", cell_tiles)):
        results[f"c_tiles_app_uncached_{name}"] = _timed(app_calls(app, map(tile_path, sample)), rounds, before=bump)
        results[f"d_tiles_sql_{name}"] = _timed(
            [_raw(raw, *tile_sql(layer, *t, ItemFilters())) for t in sample], rounds
        )
    results["e_tiles_app_cached"] = _cached(app, [tile_path(t) for t in tiles], rounds, raw)
    if tipg:
        for name, sample in (("points", point_tiles), ("cells", cell_tiles)):
            paths = [
                f"/collections/public.{TABLE}/tiles/WebMercatorQuad/{z}/{x}/{y}?geom-column=geom&properties=id,status,reference"
                for z, x, y in sample
            ]
            _get(tipg, paths[0])
            results[f"f_tipg_{name}"] = _timed(app_calls(tipg, paths), max(1, rounds - 1))
    results["g_densest_z10_12_app_uncached"] = _timed(
        app_calls(app, [tile_path(t) for t, _n in densest]), max(rounds, 5), before=bump
    )
    results["g_densest_z10_12_app_uncached"]["tiles"] = [
        {"tile": "/".join(map(str, t)), "items": n} for t, n in densest
    ]
    raw.close()
    return results


def _cached(app, paths, rounds, raw) -> dict:
    for path in paths:
        _get(app, path)  # fill the cache
    before = _backends(raw)
    stats = _timed([lambda p=p: _get(app, p) for p in paths], rounds)
    after = _backends(raw)
    # Any client backend that started a query meanwhile (or a new one) means the database was touched.
    stats["db_backends_queried_during"] = sum(1 for pid, started in after.items() if before.get(pid) != started)
    return stats


def _backends(raw) -> dict:
    rows = raw.execute(
        "SELECT pid, query_start FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
        "AND pid <> pg_backend_pid()",
        [DB_NAME],
    ).fetchall()
    return dict(rows)


# --- Report ------------------------------------------------------------------------------------------


def _report(args, results, loaded, seconds) -> dict:
    checks = _targets(results)
    lines = [f"{'measurement':42} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'bytes':>9}"]
    for name, s in results.items():
        lines.append(
            f"{name:42} {s['n']:>5} {s['p50_ms']!s:>9} {s['p95_ms']!s:>9} {s['max_ms']!s:>9} {s['mean_bytes']:>9}"
        )
    lines.append("")
    lines.append(f"machine: {benchenv.load_average()}")
    for check in checks:
        lines.append(f"{'PASS' if check['ok'] else 'MISS'}  {check['target']}: {check['measured']}")
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "items": args.items,
        "rounds": args.rounds,
        "load": loaded,
        "seconds": round(seconds),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "load_average_after": benchenv.load_average(),
        "postgres": _versions(),
        "app": "gunicorn, gunicorn.conf.py, 2 workers, DEBUG=0, bench.settings (CONN_MAX_AGE=None)",
        "results": results,
        "targets": checks,
        "table": "\n".join(lines),
    }


def _targets(r) -> list[dict]:
    checks = []

    def check(target, ok, measured):
        checks.append({"target": target, "ok": bool(ok), "measured": measured})

    def paired(app, sql, limit):
        """Per sample (a tile, a box): its median through the app against its SQL median."""
        pairs = [(a, s) for a, s in zip(app["sample_medians_ms"], sql["sample_medians_ms"], strict=True) if a and s]
        within = [a <= limit(s) for a, s in pairs]
        overheads = sorted(a - s for a, s in pairs)
        worst = max(pairs, key=lambda p: p[0] - limit(p[1]))
        return all(within), (
            f"{sum(within)}/{len(pairs)} samples within; median overhead {_pct(overheads, 50):.2f} ms; "
            f"worst {worst[0]:.1f} ms vs limit {limit(worst[1]):.1f} ms (SQL {worst[1]:.1f} ms); "
            f"p50 {app['p50_ms']} vs {sql['p50_ms']}, p95 {app['p95_ms']} vs {sql['p95_ms']}"
        )

    for name in ("points", "cells"):
        ok, measured = paired(r[f"c_tiles_app_uncached_{name}"], r[f"d_tiles_sql_{name}"], lambda s: 1.2 * s + 2)
        check(f"uncached tiles ({name}) within 1.2x raw + 2 ms", ok, measured)
    ok, measured = paired(r["a_geojson_app"], r["b_geojson_sql"], lambda s: 1.3 * s)
    check("GeoJSON within 1.3x SQL-built GeoJSON", ok, measured)
    for name in ("points", "cells"):
        if f"f_tipg_{name}" in r:
            ours, theirs = r[f"c_tiles_app_uncached_{name}"], r[f"f_tipg_{name}"]
            check(
                f"uncached tiles ({name}) faster than tipg",
                ours["p50_ms"] < theirs["p50_ms"] and ours["p95_ms"] < theirs["p95_ms"],
                f"p50 {ours['p50_ms']} vs {theirs['p50_ms']}, p95 {ours['p95_ms']} vs {theirs['p95_ms']}",
            )
    dense = r["g_densest_z10_12_app_uncached"]
    check(
        "densest tiles z10-12 under 200 ms (p95)",
        dense["p95_ms"] < 200,
        f"p95 {dense['p95_ms']}, max {dense['max_ms']}",
    )
    cached = r["e_tiles_app_cached"]
    check(
        "cached tiles without touching the database",
        cached["db_backends_queried_during"] == 0,
        f"{cached['db_backends_queried_during']} database sessions ran a query during {cached['n']} requests",
    )
    return checks


def _versions() -> dict:
    import psycopg

    with psycopg.connect(dbname=DB_NAME, **PG) as conn:
        return {
            "server": conn.execute("SHOW server_version").fetchone()[0],
            "postgis": conn.execute("SELECT postgis_lib_version()").fetchone()[0],
            "jit": conn.execute("SHOW jit").fetchone()[0],
        }


if __name__ == "__main__":
    main()
