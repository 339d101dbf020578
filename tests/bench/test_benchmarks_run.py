"""Every benchmark runs from its README command on a fresh database, at a tiny size.

A benchmark that nobody runs rots: a migration adds an index the bench also creates, a renamed
module breaks an import, and the next person to measure finds it dead after a four-minute build.
Each test here drops the benchmark's smoke database (BENCH_DB_SUFFIX=_smoke, never the full sets a
real run reuses), runs the command as bench/README*.md gives it with sizes small enough to finish in
well under a minute, and checks that it wrote its JSON with the figures beside their floors.
"""

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

BENCH = settings.BASE_DIR / "bench"
sys.path.insert(0, str(BENCH))
import benchenv  # noqa: E402  (bench/ is a folder of scripts, not a package)

SUFFIX = "_smoke"


def fresh(base: str):
    """Drop the benchmark's smoke database: the run must create, migrate and load it itself."""
    with psycopg.connect(benchenv.conninfo("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{base}{SUFFIX}" WITH (FORCE)')


def run(script: str, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, BENCH_DB_SUFFIX=SUFFIX)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # each benchmark picks its own settings
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


def test_it_runs_the_subscriptions_benchmark(tmp_path):
    fresh("smartmap_bench_subs")
    out = tmp_path / "subs.json"
    run(
        "subscriptions_bench.py",
        *("--subscriptions", "1000", "--events", "100", "--single", "10", "--budget", "2"),
        *("--deliveries", "50", "--history", "500", "--output", str(out)),
    )
    size = json.loads(out.read_text())["sizes"]["1000"]
    assert size["one_event"]["floor_ms"]["p50"] > 0 and size["one_event"]["match_events_ms"]["p50"] > 0
    assert size["strtree"]["pairs"] == size["batch"]["spatial_pairs"], "the floors disagree on the pairs"
    assert size["deliver"]["emails"] == 50


def test_it_runs_the_layers_benchmark(tmp_path):
    fresh("smartmap_bench")
    out = tmp_path / "layers.json"
    done = run("layers_bench.py", "--items", "1000", "--rounds", "1", "--no-tipg", "--output", str(out))
    assert "d_tiles_sql_points" in done.stdout and "c_tiles_app_uncached_points" in done.stdout
    assert json.loads(out.read_text())


def test_it_runs_the_fixtracker_benchmark(tmp_path):
    fresh("smartmap_bench_fix")
    out = tmp_path / "fix.json"
    args = ("--clients", "2", "--reports-per-client", "1", "--queue", "100", "--workers", "1")
    run("fixtracker_bench.py", *args, "--output", str(out))
    result = json.loads(out.read_text())
    assert result["submission"]["errors"] == 0 and result["submission"]["ok"] == 2
    queue = result["staff_queue"]
    assert queue["queue first page"]["p50_ms"] > 0
    for label in ("first page", "overdue", "district", "search title", "sort newest"):
        assert queue[f"queue {label}"]["floor"]["p50_ms"] > 0


def test_it_runs_the_imports_benchmark(tmp_path):
    fresh("smartmap_bench_imports")
    out = tmp_path / "imports.json"
    run("imports_bench.py", "--rows", "300", "--output", str(out))
    result = json.loads(out.read_text())
    assert result["first_import"]["events_per_s"] > 0 and result["floor_copy"]["events_per_s"] > 0
    assert "0 created, 0 updated" in result["re_import"]["summary"]


def test_it_runs_the_statistics_benchmark(tmp_path):
    fresh("smartmap_bench_stats")
    out = tmp_path / "stats.json"
    run("stats_bench.py", "--items", "2000", "--reports", "300", "--rounds", "1", "--no-export", "--output", str(out))
    result = json.loads(out.read_text())
    assert result["questions"] and all(q["equal"] for q in result["questions"])


def test_it_runs_the_open_data_export_benchmark(tmp_path):
    """The exports of stats_bench.py alone, on the smoke set the test above leaves (or a fresh one)."""
    out = tmp_path / "exports.json"
    run("stats_bench.py", "--items", "2000", "--reports", "300", "--no-questions", "--output", str(out))
    exports = {x["format"]: x for x in json.loads(out.read_text())["exports"]}
    assert set(exports) == {"copy-floor", "csv", "geojson", "gpkg"} and all(x["ok"] for x in exports.values())
    assert exports["csv"]["rows"] == exports["gpkg"]["rows"] > 1000 and exports["csv"]["x_floor"] > 0


def test_it_runs_the_forum_benchmark(tmp_path):
    fresh("smartmap_bench_forum")
    out = tmp_path / "forum.json"
    run("forum_bench.py", "--threads", "200", "--posts", "4000", "--long", "100", "--rounds", "2", "--output", str(out))
    result = json.loads(out.read_text())
    assert result["load"]["reused"] is False
    for name in ("latest, page 1", "section", "search ვაკე", "search vake", "thread of 100 posts, last page", "reply"):
        assert result["results"][name]["sql_ms"]["p50"] > 0 and result["results"][name]["page_ms"]["p50"] > 0, name
    assert "thread_latest_idx" in result["results"]["latest, page 1"]["plan"]
