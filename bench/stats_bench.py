#!/usr/bin/env python
"""Benchmark of the statistics engine and the open-data exports at city scale, against their floors.

    .venv/bin/python bench/stats_bench.py [--items 1000000] [--reports 100000] [--rounds 7]
                                          [--no-export] [--no-questions]

Its own database (smartmap_bench_stats) on the local PostgreSQL, created, migrated and given the
Tbilisi boundaries on first use. Tree permits (--items) and reports (--reports) are loaded with COPY,
triggers off, points from layers.demo.city_points (denser in the centre), status dates over five
years; then both grids are rebuilt (layers.tiles.rebuild_grid, stats.grid.rebuild_grid). A database
that already holds the counts asked for is reused.

Questions (stats.engine.counts, the whole call: parsing aside, the cover of an area is computed in
Python inside it) beside the plain COUNT … GROUP BY over the items (stats.engine.plain_counts), each
run --rounds times after one warm-up, with the answers compared: city and district questions (target
p95 ≤ 100 ms), a sub-district and drawn areas from 1 to 100 km² (≤ 300 ms), periods cut at both
ends. Then the exports of the tree-permit layer as CSV, GeoJSON and GeoPackage, each in a fresh
process (manage.py export_opendata, the API's export core), timed, with the process's peak memory
(its own ru_maxrss; target ≤ 500 MB), against the floor: PostgreSQL's COPY … TO STDOUT CSV of the
same query (--copy-floor). --no-questions runs the exports alone.
Prints a table and writes bench/results/stats-<date>.json.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import benchenv

ROOT = Path(__file__).resolve().parent.parent
BASE = "smartmap_bench_stats"
DB_NAME = benchenv.db_name(BASE)
PY = str(ROOT / ".venv/bin/python")


def env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartmap.settings",
        "DATABASE_URL": benchenv.database_url(BASE),
        "REDIS_URL": benchenv.redis_url(3),
        "CACHE_KEY_PREFIX": "smartmap-bench-stats",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "LOG_LEVEL": "WARNING",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-questions", action="store_true", help="only the exports")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    started = time.monotonic()
    os.environ.update(env())
    benchenv.ensure_database(DB_NAME)
    for command in (("migrate", "--no-input"), ("load_tbilisi",)):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env(), check=True, stdout=subprocess.DEVNULL)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    loaded = load(args.items, args.reports)
    questions = [] if args.no_questions else measure_questions(args.rounds)
    exports = [] if args.no_export else measure_exports()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()},
        "items": args.items,
        "reports": args.reports,
        "load": loaded,
        "questions": questions,
        "exports": exports,
        "seconds": round(time.monotonic() - started, 1),
    }
    print(table(report))
    path = args.output or ROOT / "bench" / "results" / f"stats-{datetime.now():%Y-%m-%d}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwritten to {path}")


# --- Loading -----------------------------------------------------------------------------------------


def load(items: int, reports: int) -> dict:
    from django.db import connection

    from layers.registry import get_layer

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM layers_treepermit")
        have_items = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM fixtracker_report")
        have_reports = cursor.fetchone()[0]
    result = {"reused": have_items == items and have_reports == reports}
    if result["reused"]:
        print(f"reusing {items} tree permits and {reports} reports")
        return result
    t = time.monotonic()
    copy_rows("layers_treepermit", items, tree_row)
    copy_rows("fixtracker_report", reports, report_row)
    result["copy_seconds"] = round(time.monotonic() - t, 1)
    from layers.tiles import rebuild_grid as rebuild_tiles
    from stats.grid import rebuild_grid

    t = time.monotonic()
    rows = 0
    for slug in ("tree-permits", "reports"):
        rebuild_tiles(get_layer(slug))
        rows += rebuild_grid(get_layer(slug))
    result.update(grid_rows=rows, grid_seconds=round(time.monotonic() - t, 1))
    with connection.cursor() as cursor:
        for table_name in ("layers_treepermit", "fixtracker_report", "stats_grid", "layers_tile_grid"):
            cursor.execute(f"VACUUM ANALYZE {table_name}")
    print(f"loaded: {result}")
    return result


TREE_COLUMNS = (
    "reference, title, description, address, status, status_since, status_date_known, source_status, geom, point, "
    "district_id, documents, source, external_id, is_demo, created_at, updated_at, kind, tree_count, trees, reason, "
    "compensation_place, compensation_planted, compensation_photo"
)
REPORT_COLUMNS = (
    "reference, title, description, address, status, status_since, geom, point, district_id, documents, source, "
    "external_id, is_demo, created_at, updated_at, category_id, department_id, reporter_email, reporter_name, "
    "show_name, answers, confirmed_at, hidden_reason, close_reason, referred_to, supporters_count, "
    "acknowledged_at, resolved_at, response_due_at, resolution_due_at"
)


def copy_rows(table_name: str, n: int, make_row):
    import numpy as np
    import shapely
    from django.db import connection, transaction

    from layers.demo import city_points
    from places.index import DistrictIndex

    rng = np.random.default_rng(hash(table_name) % 2**32)
    index = DistrictIndex()
    print(f"{table_name}: generating {n} points…", flush=True)
    points = np.array(city_points(n, rng, index), dtype=object)
    districts = index.district_ids(points)
    geoms = shapely.to_wkb(shapely.set_srid(points, 4326), hex=True, include_srid=True)
    context = make_row.context()
    columns = TREE_COLUMNS if table_name == "layers_treepermit" else REPORT_COLUMNS
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table_name} CASCADE")
        # Triggers off for the load (both grids are rebuilt after it); FK checks too: every id is real.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {table_name} ({columns}) FROM STDIN") as copy:
            for i in range(n):
                copy.write_row(make_row(i, rng, geoms[i], districts[i], context))


NOW = datetime.now(UTC)
FIVE_YEARS = 5 * 365 * 86400


def _tree_context():
    return {
        "statuses": ["application", "inspection", "issued", "refused", "carried_out", "compensation_planted"],
        "kinds": ["felling", "transplanting"],
        "reasons": ["construction", "sanitary", "hazard", "infrastructure", ""],
    }


def tree_row(i, rng, geom, district, c):
    since = NOW - timedelta(seconds=float(rng.uniform(0, FIVE_YEARS)))
    trees = json.dumps([{"species": "Platanus orientalis", "diameter_cm": int(rng.integers(10, 90))}])
    return (
        f"BENCH-T-{i:07d}", "ხის ჭრა", "", "", c["statuses"][i % 6], since, i % 50 != 0, "", geom, geom,
        district, "[]", "bench", f"t{i}", True, NOW, NOW, c["kinds"][i % 2], 1 + i % 3, trees,
        c["reasons"][i % 5], "", False, "",
    )  # fmt: skip


tree_row.context = _tree_context


def _report_context():
    from fixtracker.models import Category

    return {
        "categories": [(c.pk, c.department_id) for c in Category.objects.all()],
        "statuses": ["new", "acknowledged", "in_progress", "scheduled", "resolved", "closed"],
    }


def report_row(i, rng, geom, district, c):
    category, department = c["categories"][i % len(c["categories"])]
    created = NOW - timedelta(seconds=float(rng.uniform(0, 2 * 365 * 86400)))
    status = c["statuses"][i % 6]
    acknowledged = created + timedelta(hours=float(rng.uniform(1, 60))) if status != "new" else None
    resolved = created + timedelta(hours=float(rng.uniform(10, 700))) if status in ("resolved", "closed") else None
    return (
        f"BENCH-R-{i:07d}", "ნათურა", "", "", status, resolved or acknowledged or created, geom, geom, district, "[]",
        "bench", f"r{i}", True, created, created, category, department, "bench@example.ge", "", False, "{}",
        created, "", "fixed" if resolved else "", "", 1, acknowledged, resolved,
        created + timedelta(hours=24), created + timedelta(hours=240),
    )  # fmt: skip


report_row.context = _report_context


# --- Questions ---------------------------------------------------------------------------------------


def questions_to_ask():
    import shapely
    from django.contrib.gis.geos import GEOSGeometry

    from places.models import District, SubDistrict
    from stats.engine import LayerFilter
    from stats.territories import Territory

    city = Territory("city", "city")
    vake = District.objects.get(slug="vake")
    district = Territory("district:vake", "vake", district_id=vake.pk)
    sub = SubDistrict.objects.order_by("number")[4]
    year_a = (date(2025, 1, 15), date(2025, 12, 20))  # cut at both ends

    def area(km):  # a square of `km` km² around Rustaveli Avenue
        half_lon, half_lat = km**0.5 / 2 / 83.0, km**0.5 / 2 / 111.0
        box = shapely.box(44.80 - half_lon, 41.70 - half_lat, 44.80 + half_lon, 41.70 + half_lat)
        return Territory(f"area {km} km²", "area", geom=GEOSGeometry(box.wkt, srid=4326))

    every, felling = LayerFilter(), LayerFilter(kinds=["felling"], statuses=["issued", "carried_out"])
    return [
        ("city", "tree-permits", "city: by month, a year cut at both ends", every, city, *year_a, "month"),
        ("city", "tree-permits", "city: felled, issued/carried out, by district", felling, city, *year_a, "district"),
        ("city", "reports", "city: reports by category, all time", every, city, None, None, "category"),
        ("district", "tree-permits", "Vake: by status, a year", every, district, *year_a, "status"),
        ("district", "reports", "Vake: reports by month", every, district, *year_a, "month"),
        ("area", "tree-permits", f"sub-district {sub.number}: by month", every, Territory("s", "s", geom=sub.geom),
         *year_a, "month"),
        ("area", "tree-permits", "drawn 1 km²: by kind", every, area(1), *year_a, "kind"),
        ("area", "tree-permits", "drawn 10 km²: by month", every, area(10), *year_a, "month"),
        ("area", "tree-permits", "drawn 100 km²: by status", every, area(100), *year_a, "status"),
        ("area", "reports", "drawn 10 km²: reports by category", every, area(10), *year_a, "category"),
    ]  # fmt: skip


def measure_questions(rounds: int) -> list[dict]:
    from layers.registry import get_layer
    from stats.engine import counts, plain_counts

    results = []
    for kind, slug, name, flt, territory, date_from, date_to, group in questions_to_ask():
        layer = get_layer(slug)
        args = (layer, flt, territory, date_from, date_to, group)
        timings = {}
        answers = {}
        for label, fn in (("engine", counts), ("plain", plain_counts)):
            fn(*args)  # warm-up
            times = []
            for _ in range(rounds):
                if label == "engine":
                    territory.__dict__.pop("cover", None)  # the cover is part of every answer's cost
                t = time.perf_counter()
                answers[label] = fn(*args)
                times.append((time.perf_counter() - t) * 1000)
            timings[label] = {"p50": round(statistics.median(times), 1), "p95": round(_p95(times), 1)}
        results.append({
            "kind": kind, "question": name, "engine_ms": timings["engine"], "plain_ms": timings["plain"],
            "equal": answers["engine"] == answers["plain"], "total": sum(answers["engine"].values()),
            "target_ms": 100 if kind in ("city", "district") else 300,
        })  # fmt: skip
        print(f"{name}: {results[-1]}", flush=True)
    return results


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- Exports -----------------------------------------------------------------------------------------


def measure_exports() -> list[dict]:
    """Each export in a fresh process through the export core (manage.py export_opendata), and the
    floor: PostgreSQL's COPY of the same query as CSV. The process reports its own peak RSS."""
    results = []
    out = ROOT / "var" / "bench-export"
    out.mkdir(parents=True, exist_ok=True)
    runs = [("copy-floor", "csv", ["--copy-floor"]), ("csv", "csv", []), ("geojson", "geojson", []),
            ("gpkg", "gpkg", [])]  # fmt: skip
    for name, fmt, extra in runs:
        target = out / f"tree-permits-{name}.{fmt}"
        target.unlink(missing_ok=True)
        cmd = [PY, "manage.py", "export_opendata", "tree-permits", "--format", fmt, "--output", str(target), *extra]
        t = time.monotonic()
        proc = subprocess.run(cmd, cwd=ROOT, env=env(), capture_output=True, text=True)
        seconds = time.monotonic() - t
        own = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 else {}
        results.append({
            "format": name, "ok": proc.returncode == 0, "seconds": round(seconds, 1),
            "export_seconds": own.get("seconds"), "rows": own.get("rows"), "peak_mb": own.get("peak_mb"),
            "bytes": target.stat().st_size if target.exists() else 0, "target_mb": 500,
            "stderr": proc.stderr[-500:],
        })  # fmt: skip
        print(f"export {name}: {results[-1]}", flush=True)
    floor = results[0]["export_seconds"] or 0
    for x in results:
        x["x_floor"] = round(x["export_seconds"] / floor, 1) if floor and x["export_seconds"] else None
    return results


def table(report) -> str:
    lines = [f"{report['items']:,} tree permits, {report['reports']:,} reports; load {report['machine']['load']}", ""]
    lines.append(f"{'question':52} {'engine p50/p95':>16} {'plain p50/p95':>16} {'target':>7} equal")
    for q in report["questions"]:
        e, p = q["engine_ms"], q["plain_ms"]
        lines.append(
            f"{q['question'][:52]:52} {e['p50']:>7} /{e['p95']:>7} {p['p50']:>7} /{p['p95']:>7} {q['target_ms']:>7} "
            f"{q['equal']}"
        )
    for x in report["exports"]:
        lines.append(
            f"export {x['format']:10} {x['export_seconds']:>7} s ({x['x_floor']}x floor)  peak {x['peak_mb']} MB  "
            f"{x['bytes']:,} bytes"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
