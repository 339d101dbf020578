#!/usr/bin/env python
"""Benchmark of the import core: a wide register of building permits, through import_layer's core.

    .venv/bin/python bench/imports_bench.py [--rows 100000] [--output FILE]

It uses its own database, smartmap_bench_imports, on the local PostgreSQL (created, migrated and
given the Tbilisi districts on first use), and no Redis. It writes a wide register as the Urban
Development Service exports it (one row per permit, Georgian headers, a date column per stage,
DD.MM.YYYY dates, about a tenth of the current statuses undated, 1 % outside the city, 0.5 %
with an unknown status word) as CSV into a temporary folder, removes the bench source's items and
events, and measures, one after the other:
  a. reading the CSV (readers.read_rows),
  b. the first import, committed (every stage an event: created + status changes),
  c. the same file again (everything unchanged: the matching and comparing cost),
  d. the floor: COPY of the same items and events that (b) wrote, straight into their tables
     (a rolled-back transaction), i.e. what writing alone costs without reading, converting,
     placing, the history rules or the ledger.
It prints rows/s and events/s and writes bench/results/imports-<date>.json.
"""

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchenv

BASE = Path(__file__).resolve().parent.parent
DB = benchenv.db_name("smartmap_bench_imports")
DB_URL = benchenv.database_url("smartmap_bench_imports")
SOURCE = "bench-wide-register"
HEADER = ["განცხადების №", "მისამართი", "სტატუსი", "შეტანა", "გაცემა", "დაწყება", "დასრულება", "განედი", "გრძედი"]
PATHS = [
    ("განცხადება შემოსულია", 1),
    ("ნებართვა გაცემულია", 2),
    ("მშენებლობა დაწყებულია", 3),
    ("ექსპლუატაციაში მიღებულია", 4),
    ("გაუქმებულია", 2),
]
MAPPING = {
    "layer": "construction-permits",
    "source": SOURCE,
    "id": HEADER[0],
    "geometry": {"lat": HEADER[7], "lon": HEADER[8]},
    "status": {
        "column": HEADER[2],
        "values": {
            "განცხადება შემოსულია": "application_filed",
            "ნებართვა გაცემულია": "issued",
            "მშენებლობა დაწყებულია": "construction_started",
            "ექსპლუატაციაში მიღებულია": "completed",
            "გაუქმებულია": "cancelled",
        },
    },
    "stages": {
        "application_filed": HEADER[3],
        "issued": HEADER[4],
        "construction_started": HEADER[5],
        "completed": HEADER[6],
    },  # fmt: skip
    "fields": {"address": HEADER[1]},
}


def prepare_database():
    """Create, migrate and load the bench database; then point Django at it (never at the dev data)."""
    benchenv.ensure_database(DB)
    env = dict(os.environ, DATABASE_URL=DB_URL, DJANGO_SETTINGS_MODULE="smartmap.settings")
    for command in (["migrate", "--no-input", "-v", "0"], ["load_tbilisi"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE, env=env, check=True, stdout=subprocess.DEVNULL
        )
    # No Redis: nothing here needs it (tile-cache version bumps after commit fail quietly).
    os.environ.update(DATABASE_URL=DB_URL, DJANGO_SETTINGS_MODULE="smartmap.settings", EMAIL_HOST="")
    os.environ.update(REDIS_URL="redis://127.0.0.1:1/0", LOG_LEVEL="ERROR")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()


def write_register(path: Path, rows: int, seed: int = 8):
    import numpy as np

    from layers.demo import city_points
    from places.index import DistrictIndex

    rng = random.Random(seed)
    points = city_points(rows, np.random.default_rng(seed), DistrictIndex())
    now = datetime.now(UTC)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(HEADER)
        for i, point in enumerate(points):
            word, reached = rng.choice(PATHS)
            at, dates = now - timedelta(days=rng.uniform(60, 3650)), []
            for _ in range(reached):
                dates.append(at.strftime("%d.%m.%Y"))
                at += timedelta(days=rng.uniform(20, 400))
            if rng.random() < 0.1 and reached > 1 and word != "გაუქმებულია":
                dates[-1] = ""  # the current stage's date is missing: date unknown
            dates += [""] * (4 - len(dates))
            lat, lon = point.y, point.x
            if rng.random() < 0.01:
                lat, lon = 41.6460, 41.6400  # Batumi
            if rng.random() < 0.005:
                word = "არქივშია"  # a word with no fitting status
            out.writerow([f"B-{i}", f"ქუჩა {i}", word, *dates, f"{lat:.6f}", f"{lon:.6f}"])


def clear():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM layers_event WHERE layer = 'construction-permits'")
        cursor.execute("DELETE FROM layers_gazetteerentry WHERE source = %s", [SOURCE])
        cursor.execute("DELETE FROM layers_constructionpermit WHERE source = %s", [SOURCE])


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def copy_floor() -> float:
    """COPY the items and events the import wrote back into their tables, in a rolled-back transaction."""
    from django.db import connection, transaction

    tables = [
        ("layers_constructionpermit", "source = %s", SOURCE),
        ("layers_event", "layer = %s", "construction-permits"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        copies = []
        for table, where, value in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table) if c.name != "id"]
            names = ", ".join(columns)
            cursor.execute(
                f"CREATE TEMP TABLE copy_of ON COMMIT DROP AS SELECT {names} FROM {table} WHERE {where}", [value]
            )
            if table == "layers_constructionpermit":
                cursor.execute("UPDATE copy_of SET source = 'bench-floor'")  # (source, external_id) is unique
            buf = bytearray()
            with cursor.copy("COPY copy_of TO STDOUT") as copy:
                for chunk in copy:
                    buf += chunk
            cursor.execute("DROP TABLE copy_of")
            copies.append((table, names, bytes(buf)))
        start = time.perf_counter()
        for table, names, data in copies:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write(data)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--output")
    args = parser.parse_args()
    prepare_database()
    from layers.importing import Mapping, run_import
    from layers.importing.readers import read_rows

    mapping = Mapping.from_dict(MAPPING)
    result = {"rows": args.rows, "when": datetime.now(UTC).isoformat(), "machine": platform.platform()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        _, result["write_register_s"] = timed(lambda: write_register(path, args.rows))
        clear()
        result["load"] = benchenv.load_average()
        _, read_s = timed(lambda: read_rows(path))
        first, first_s = timed(lambda: run_import(mapping, path, commit=True, via="bench"))
        again, again_s = timed(lambda: run_import(mapping, path, commit=True, via="bench"))
    events = sum(first.run.events.values())
    floor_s = copy_floor()
    result.update(
        read={"seconds": round(read_s, 2), "rows_per_s": round(args.rows / read_s)},
        first_import={
            "seconds": round(first_s, 2),
            "rows_per_s": round(args.rows / first_s),
            "events_per_s": round(events / first_s),
            "summary": first.summary(),
        },
        re_import={"seconds": round(again_s, 2), "rows_per_s": round(args.rows / again_s), "summary": again.summary()},
        floor_copy={
            "seconds": round(floor_s, 2),
            "rows_per_s": round(args.rows / floor_s),
            "events_per_s": round(events / floor_s),
        },  # fmt: skip
    )
    clear()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    output = (
        Path(args.output) if args.output else BASE / "bench" / "results" / f"imports-{datetime.now():%Y-%m-%d}.json"
    )
    output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
