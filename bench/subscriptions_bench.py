"""Benchmark of area-subscription matching and delivery at 100,000 and 1,000,000 subscriptions.

    .venv/bin/python bench/subscriptions_bench.py --subscriptions 100000 1000000

Runs against its own database, smartmap_bench_subs, on the local PostgreSQL (created, migrated and given
the real Tbilisi districts on first use). Each size lives in its own schema (subs_<n>) holding copies of
the three subscriptions tables with the indexes and foreign keys of the migrations; matching runs with
search_path = subs_<n>, public, so subscriptions.matching and subscriptions.delivery run unchanged against
either size. A schema that already holds its set is reused (indexes added by newer migrations are added
to it); --rebuild builds it again. See bench/README-subscriptions.md.

Measured for each size:
- one event at a time: the raw PostGIS probe doing the polygon branch's spatial work (the floor), the
  matching SELECT alone, and match_events([id]) (SELECT + ledger INSERT, FK checks included), p50/p95;
- a batch of 10,000 events: shapely's STRtree over the same parts (build apart, query = the floor), the
  raw PostGIS spatial join, the matching SELECT alone and match_events (the ledger insert is the
  difference), wall and backend CPU time;
- delivery of 10,000 notifications through deliver_due() with the file-based email backend, from a
  ledger holding 1,000,000 rows already sent; and one claim_due() and release_stale() on it;
- with --baseline REV, the same for matching.py and delivery.py as they were at that git revision.
Ledger rows written while matching are rolled back, so runs are repeatable.
"""

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

import benchenv
import numpy as np
import shapely
import smtp_delivery

BASE = Path(__file__).resolve().parent.parent
DB = benchenv.db_name("smartmap_bench_subs")
DB_URL = benchenv.database_url("smartmap_bench_subs")
TABLES = ("subscriptions_subscription", "subscriptions_subscriptionpart", "subscriptions_delivery")
TOPICS = ["construction", "trees", "projects", "reports", "forum"]
GROUPS = [(["new", "status"], 0.7), (["new"], 0.1), (["status"], 0.1), (["consultation"], 0.05)]
GROUPS.append((["new", "status", "deadlines"], 0.05))
FREQUENCIES = (["instant", "daily", "weekly"], [0.7, 0.2, 0.1])
BENCH_REF = "BENCH-"  # item_ref prefix of the events this bench makes


def prepare_database():
    """Create, migrate and load the bench database; then point Django at it (never at the dev data)."""
    benchenv.ensure_database(DB)
    env = dict(os.environ, DATABASE_URL=DB_URL, DJANGO_SETTINGS_MODULE="smartmap.settings")
    for command in (["migrate", "--no-input", "-v", "0"], ["load_tbilisi"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE, env=env, check=True, stdout=subprocess.DEVNULL
        )
    # No Redis: nothing here needs it, and the shared one is left alone (tile-cache bumps fail quietly).
    os.environ.update(DATABASE_URL=DB_URL, DJANGO_SETTINGS_MODULE="smartmap.settings", EMAIL_HOST="")
    os.environ.update(REDIS_URL="redis://127.0.0.1:1/0", LOG_LEVEL="ERROR")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()


# --- Building a set of subscriptions ---------------------------------------------------------------


def schema_of(n: int) -> str:
    return f"subs_{n}"


def _exists(cursor, n: int) -> bool:
    cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_of(n)])
    return cursor.fetchone() is not None


def holds(cursor, n: int) -> bool:
    """The schema is there and its build finished (the last step of a build is this comment)."""
    if not _exists(cursor, n):
        return False
    cursor.execute("SELECT obj_description(%s::regnamespace)", [schema_of(n)])
    return cursor.fetchone()[0] == f"complete {n}"


def build(n: int, seed: int) -> float:
    """Generate n subscriptions and load them with COPY; parts cut by ST_Subdivide(geom, 64) as actions.py does."""
    from django.db import connection

    from layers.demo import city_points
    from places.index import DistrictIndex

    schema, started = schema_of(n), time.perf_counter()
    rng = np.random.default_rng(seed)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        for table in TABLES[:2]:  # their indexes come after the load, as a restore makes them
            cursor.execute(f"CREATE TABLE {schema}.{table} (LIKE public.{table} INCLUDING DEFAULTS INCLUDING IDENTITY)")
    centres = city_points(n, rng, DistrictIndex())
    large = rng.random(n) < 0.01
    with connection.cursor() as cursor:
        for start in range(0, n, 100_000):
            stop = min(n, start + 100_000)
            _copy_subscriptions(cursor, schema, start, centres[start:stop], large[start:stop], rng)
        log(f"  {n:,}: subscriptions copied at {time.perf_counter() - started:.0f} s")
        _district_sized(cursor, schema, np.flatnonzero(large) + 1, rng)
        _copy_indexes(cursor, schema, TABLES[0])
        fresh_ledger(cursor, schema)
        cursor.execute(
            f"INSERT INTO {schema}.{TABLES[1]} (subscription_id, geom) "
            f"SELECT id, ST_Subdivide(geom, 64) FROM {schema}.{TABLES[0]} WHERE geom IS NOT NULL"
        )
        log(f"  {n:,}: {cursor.rowcount:,} parts at {time.perf_counter() - started:.0f} s")
        _copy_indexes(cursor, schema, TABLES[1])
        cursor.execute(f"VACUUM ANALYZE {schema}.{TABLES[0]}")
        cursor.execute(f"VACUUM ANALYZE {schema}.{TABLES[1]}")
        cursor.execute(f"COMMENT ON SCHEMA {schema} IS 'complete {n}'")
    log(f"  {n:,}: built in {time.perf_counter() - started:.0f} s")
    return time.perf_counter() - started


def fresh_ledger(cursor, schema: str):
    """The ledger as the migrations make it today (columns, indexes, constraints), empty."""
    cursor.execute(f"DROP TABLE IF EXISTS {schema}.{TABLES[2]}")
    cursor.execute(f"CREATE TABLE {schema}.{TABLES[2]} (LIKE public.{TABLES[2]} INCLUDING ALL)")
    # The ledger's foreign keys as Django makes them: their checks are part of what a ledger insert costs.
    for column, target in (("subscription_id", f"{schema}.{TABLES[0]}"), ("event_id", "public.layers_event")):
        cursor.execute(
            f"ALTER TABLE {schema}.{TABLES[2]} ADD FOREIGN KEY ({column}) REFERENCES {target}(id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )


def sync_indexes(cursor, schema: str) -> list[str]:
    """Indexes the migrations gained since the schema was built, so a reused set measures today's code.
    Compared by definition: the ledger's copies carry names PostgreSQL chose."""
    added = []
    for table in TABLES:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s", [schema, table]
        )
        present = {_shape(definition) for _, definition in cursor.fetchall()}
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", [table]
        )
        for name, definition in cursor.fetchall():
            if _shape(definition) not in present:
                cursor.execute(definition.replace(f" ON public.{table} ", f" ON {schema}.{table} "))
                added.append(name)
    if added:
        cursor.execute(f"ANALYZE {schema}.{TABLES[0]}")
    return added


def _shape(definition: str) -> tuple[bool, str]:
    return definition.startswith("CREATE UNIQUE"), definition.split(" USING ", 1)[1]


def _copy_indexes(cursor, schema, table):
    cursor.execute("SET maintenance_work_mem = '1GB'")  # this session only: the shared server keeps its own
    cursor.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", [table])
    for (definition,) in cursor.fetchall():
        cursor.execute(definition.replace(f" ON public.{table} ", f" ON {schema}.{table} "))
    cursor.execute(f"ALTER TABLE {schema}.{table} ADD PRIMARY KEY USING INDEX {table}_pkey")


def _small_areas(centres, rng):
    """Circles (64 segments, as ST_Buffer(geography, r, 'quad_segs=16') draws them) and hand-drawn polygons,
    a few hundred metres across, around the given centres."""
    n = len(centres)
    xy = shapely.get_coordinates(np.asarray(centres, dtype=object))
    circle = rng.random(n) < 0.5
    radius = np.exp(rng.uniform(np.log(100), np.log(500), n))  # metres, log-uniform
    # Metres to degrees at Tbilisi's latitude, per point: a local approximation, fine for making shapes.
    mx, my = 111_320 * np.cos(np.radians(xy[:, 1])), 110_574.0
    geoms = np.empty(n, dtype=object)
    angles = np.linspace(0, 2 * np.pi, 65)[None, :]
    ring = np.stack(
        [xy[:, :1] + radius[:, None] / mx[:, None] * np.cos(angles), xy[:, 1:] + radius[:, None] / my * np.sin(angles)],
        -1,
    )
    geoms[circle] = shapely.polygons(ring[circle])
    sides = rng.integers(4, 13, n)
    for k in np.unique(sides[~circle]):
        pick = ~circle & (sides == k)
        m = int(pick.sum())
        gaps = rng.uniform(0.5, 1.5, (m, k))
        theta = np.cumsum(gaps / gaps.sum(1, keepdims=True) * 2 * np.pi, 1) + rng.uniform(0, 2 * np.pi, (m, 1))
        r = (radius[pick] * 0.8)[:, None] * rng.uniform(0.6, 1.0, (m, k))
        pts = np.stack([xy[pick, :1] + r / mx[pick, None] * np.cos(theta), xy[pick, 1:] + r / my * np.sin(theta)], -1)
        geoms[pick] = shapely.polygons(np.concatenate([pts, pts[:, :1]], 1))
    return circle, np.round(radius).astype(int), geoms


def _copy_subscriptions(cursor, schema, start, centres, large, rng):
    circle, radius, geoms = _small_areas(centres, rng)
    multi = shapely.set_srid(shapely.multipolygons(geoms, indices=np.arange(len(geoms))), 4326)
    geom_hex = shapely.to_wkb(multi, hex=True, include_srid=True)
    centre_hex = shapely.to_wkb(shapely.set_srid(np.asarray(centres, dtype=object), 4326), hex=True, include_srid=True)
    groups = rng.choice(len(GROUPS), len(centres), p=[p for _, p in GROUPS])
    frequency = rng.choice(FREQUENCIES[0], len(centres), p=FREQUENCIES[1])
    state = rng.random(len(centres))  # 3% unconfirmed, 2% paused, 2% unsubscribed: the usual dust
    from subscriptions.topics import kinds_for

    confirmed, null = "2024-01-01 00:00:00+00", "\\N"
    kinds = [",".join(kinds_for(names)) for names, _ in GROUPS]
    buffer = io.StringIO()
    for i in range(len(centres)):
        sid = start + i + 1
        topics = ["construction"] if rng.random() < 0.6 else []
        topics += [t for t in TOPICS[1:] if rng.random() < 0.25] or ["trees"]
        names, _ = GROUPS[groups[i]]
        kind = "polygon" if large[i] or not circle[i] else "circle"
        geom = null if large[i] else geom_hex[i]  # district-sized areas are drawn in SQL below
        centre, r = (centre_hex[i], radius[i]) if kind == "circle" else (null, null)
        confirmed_at = null if state[i] < 0.03 else confirmed
        paused = "t" if 0.03 <= state[i] < 0.05 else "f"
        unsubscribed_at = confirmed if 0.05 <= state[i] < 0.07 else null
        buffer.write(
            f"{sid}\tresident{sid}@example.ge\tka\t\t{kind}\t{geom}\t{centre}\t{r}\t\t{null}\t"
            f"{{{','.join(topics)}}}\t{{{kinds[groups[i]]}}}\t{{{','.join(names)}}}\t{frequency[i]}\t"
            f"{confirmed_at}\t{null}\t{paused}\t{unsubscribed_at}\tbench-{sid:020d}\t{null}\t{confirmed}\n"
        )
    columns = (
        "id, email, language, name, area_kind, geom, center, radius_m, item_layer, item_id, topics, kinds, "
        "event_groups, frequency, confirmed_at, confirmation_sent_at, paused, unsubscribed_at, feed_token, "
        "created_ip, created_at"
    )
    with cursor.cursor.copy(f"COPY {schema}.subscriptions_subscription ({columns}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def _district_sized(cursor, schema, ids, rng):
    """1%: a whole district traced by hand, thousands of vertices (ST_Segmentize), shifted up to ~200 m."""
    params = io.StringIO()
    for sid in ids:
        dx, dy = rng.uniform(-0.0025, 0.0025, 2)
        params.write(f"{sid}\t{rng.integers(1, 11)}\t{dx}\t{dy}\t{rng.integers(1000, 5000)}\n")
    cursor.execute("CREATE TEMP TABLE district_sized (id bigint, number int, dx float, dy float, vertices int)")
    with cursor.cursor.copy("COPY district_sized FROM STDIN") as copy:
        copy.write(params.getvalue())
    cursor.execute(
        f"""
        UPDATE {schema}.subscriptions_subscription s
        SET geom = ST_Multi(ST_Segmentize(ST_Translate(d.geom, p.dx, p.dy), ST_Perimeter(d.geom) / p.vertices))
        FROM district_sized p JOIN places_district d ON d.number = p.number
        WHERE s.id = p.id
        """
    )
    cursor.execute("DROP TABLE district_sized")


# --- Events ------------------------------------------------------------------------------------------


def event_specs(n: int, seed: int, offset: int) -> list:
    """n new construction permits at city points (clustered like the demo data), as the import core files them."""
    from django.contrib.gis.geos import GEOSGeometry

    from layers.demo import city_points
    from layers.events import EventSpec
    from places.index import DistrictIndex

    index = DistrictIndex()
    points = city_points(n, np.random.default_rng(seed), index)
    districts = index.district_ids(points)
    return [
        EventSpec(
            layer="construction-permits",
            item_id=offset + i,
            kind="created",
            topic="construction",
            geom=GEOSGeometry(memoryview(shapely.to_wkb(p)), srid=4326),
            item_ref=f"{BENCH_REF}{offset + i}",
            title="საცხოვრებელი სახლი",
            url=f"/layers/construction-permits/{offset + i}/",
            new_status="application_filed",
            district_id=d,
            is_demo=True,
        )
        for i, (p, d) in enumerate(zip(points, districts, strict=True))
    ]


def make_events(specs) -> list[int]:
    """Event rows without matching (the signal is what the measurements call by hand)."""
    from django.db import transaction

    from layers.events import events_recorded, record_events
    from subscriptions.matching import on_events_recorded

    events_recorded.disconnect(on_events_recorded, dispatch_uid="subscriptions.match")
    try:
        with transaction.atomic():
            return [e.pk for e in record_events(specs)]
    finally:
        events_recorded.connect(on_events_recorded, dispatch_uid="subscriptions.match")


# --- Measurements --------------------------------------------------------------------------------------

# The floor: the spatial work of the matcher's polygon branch and nothing else. The events are read first
# (MATERIALIZED), so the parts' GiST index is probed once per event, as the matcher does; with a bare
# `e.id = ANY(...)` the planner scanned every part and searched the 10,000-id array for each one.
FLOOR_SQL = """
WITH e AS MATERIALIZED (SELECT id, geom FROM layers_event WHERE id = ANY(%(ids)s))
SELECT count(*) FROM e JOIN subscriptions_subscriptionpart p ON ST_Intersects(p.geom, e.geom)
"""
# As match_events' INSERT runs: in one process (PostgreSQL 15 runs no INSERT ... SELECT in parallel).
SERIAL = "SET LOCAL max_parallel_workers_per_gather = 0"
NO_JIT = "SET LOCAL jit = off"


class Matcher:
    """subscriptions.matching as it is, or as it was at a git revision (--baseline)."""

    def __init__(self, module, name: str, sets_jit: bool):
        self.module, self.name = module, name
        # The select alone runs as match_events would run it: without JIT if match_events turns it off.
        self.select_settings = [SERIAL, NO_JIT] if sets_jit else [SERIAL]

    def select(self, ids) -> tuple[float, int]:
        return count(
            f"SELECT count(*) FROM ({self.module.MATCH_SELECT}) m", self.module.match_params(ids), self.select_settings
        )

    def match(self, ids) -> tuple[float, int]:
        return in_rollback(lambda cursor: self.module.match_events(ids))


def from_git(revision: str, path: str, name: str):
    source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=BASE, capture_output=True, text=True, check=True)
    module = types.ModuleType(name)
    exec(compile(source.stdout, f"{revision}:{path}", "exec"), module.__dict__)  # our own history, read from git
    return module


def in_rollback(work, settings=()):
    """Time work(cursor) in a transaction that is rolled back; the ledger's FK checks run inside the timing."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for setting in settings:
            cursor.execute(setting)
        started = time.perf_counter()
        result = work(cursor)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, result


def count(sql, params, settings=(SERIAL, NO_JIT)) -> tuple[float, int]:
    def run(cursor):
        cursor.execute(sql, params)
        return cursor.fetchone()[0]

    return in_rollback(run, settings)


def percentiles(seconds: list[float]) -> dict:
    ms = np.array(seconds) * 1000
    return {"p50": round(float(np.percentile(ms, 50)), 2), "p95": round(float(np.percentile(ms, 95)), 2)}


def one_event(ids: list[int], matcher: Matcher, budget_s: float) -> dict:
    """Each event alone: the floor, the matching SELECT alone and match_events, interleaved so that all
    three see the same caches and the same load; stops early (after 30 events) when the budget is spent."""
    for event_id in ids[:10]:  # warm the caches and the session, as a running server has them
        count(FLOOR_SQL, {"ids": [event_id]})
        matcher.match([event_id])
    floor, select, match, rows = [], [], [], []
    started = time.perf_counter()
    for event_id in ids:
        floor.append(count(FLOOR_SQL, {"ids": [event_id]})[0])
        select.append(matcher.select([event_id])[0])
        elapsed, written = matcher.match([event_id])
        match.append(elapsed)
        rows.append(written)
        if len(match) >= 30 and time.perf_counter() - started > budget_s:
            break
    return {
        "events": len(match),
        "floor_ms": percentiles(floor),
        "select_ms": percentiles(select),
        "match_events_ms": percentiles(match),
        "target_ms": round(2 * percentiles(floor)["p50"] + 5, 2),
        "ledger_rows_per_event": {"mean": round(statistics.mean(rows), 1), "max": max(rows)},
    }


def backend_cpu() -> float | None:
    """CPU seconds spent so far by this session's PostgreSQL process (same machine only): steadier than
    wall time on a machine others share."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_timed(work):
    """(wall seconds, backend CPU seconds or None, result) of work()."""
    before = backend_cpu()
    elapsed, result = work()
    after = backend_cpu()
    return elapsed, None if before is None else round(after - before, 2), result


def batch(ids: list[int], matcher: Matcher, floor: bool = True) -> dict:
    result = {"events": len(ids)}
    if floor:
        count(FLOOR_SQL, {"ids": ids[:1000]})  # warm-up
        floor_s, floor_cpu, pairs = cpu_timed(lambda: count(FLOOR_SQL, {"ids": ids}))
        result.update(postgis_floor_s=round(floor_s, 2), postgis_floor_cpu_s=floor_cpu, spatial_pairs=pairs)
    select_s, select_cpu, selected = cpu_timed(lambda: matcher.select(ids))
    match_s, match_cpu, written = cpu_timed(lambda: matcher.match(ids))
    return {
        **result,
        "select_s": round(select_s, 2),
        "select_cpu_s": select_cpu,
        "selected_pairs": selected,
        "match_events_s": round(match_s, 2),
        "match_events_cpu_s": match_cpu,
        "ledger_insert_s": round(match_s - select_s, 2),
        "ledger_rows": written,
    }


def strtree(ids: list[int]) -> dict:
    """The in-memory floor: shapely's STRtree over the same parts, queried with the events' points."""
    from django.db import connection

    from layers.models import Event

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ST_AsBinary(geom) FROM {TABLES[1]}")
        parts = shapely.from_wkb([bytes(row[0]) for row in cursor.fetchall()])
    points = shapely.from_wkb([bytes(g.wkb) for g in Event.objects.filter(id__in=ids).values_list("geom", flat=True)])
    loaded = time.perf_counter()
    tree = shapely.STRtree(parts)
    built = time.perf_counter()
    cpu = time.process_time()
    pairs = tree.query(points, predicate="intersects")
    queried = time.perf_counter()
    return {
        "parts": len(parts),
        "load_s": round(loaded - started, 1),
        "build_s": round(built - loaded, 2),
        "query_s": round(queried - built, 2),
        "query_cpu_s": round(time.process_time() - cpu, 2),
        "pairs": int(pairs.shape[1]),
    }


def mid_drain(ids: list[int], n: int, count_: int, history: int):
    """The ledger part-way through sending a large import: `history` rows already sent for the lower
    half of the subscriptions (by id, the order the old claim walked), `count_` rows due for the upper."""
    from django.db import connection

    per = max(1, -(-history // (n // 2)))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLES[2]}")
        cursor.execute(
            f"""
            INSERT INTO {TABLES[2]} (subscription_id, event_id, also_events, status, due_at, created_at, sent_at,
                                     attempts, claimed_by, last_error, message_id)
            SELECT s.id, (%(ids)s::bigint[])[1 + (s.id * 7 + g) %% cardinality(%(ids)s::bigint[])], '{{}}', 'sent',
                   now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', 1, '', '', ''
            FROM {TABLES[0]} s, generate_series(1, %(per)s) g
            WHERE s.id <= %(half)s ORDER BY s.id LIMIT %(history)s
            ON CONFLICT DO NOTHING
            """,
            {"ids": ids, "per": per, "half": n // 2, "history": history},
        )
        cursor.execute(
            f"""
            INSERT INTO {TABLES[2]} (subscription_id, event_id, also_events, status, due_at, created_at, attempts,
                                     claimed_by, last_error, message_id)
            SELECT s.id, (%(ids)s::bigint[])[1 + s.id %% cardinality(%(ids)s::bigint[])], '{{}}', 'pending',
                   now() - interval '1 second', now(), 0, '', '', ''
            FROM {TABLES[0]} s
            WHERE s.id > %(half)s AND s.confirmed_at IS NOT NULL AND NOT s.paused AND s.unsubscribed_at IS NULL
            ORDER BY s.id %% 7919, s.id LIMIT %(count)s
            """,
            {"ids": ids, "half": n // 2, "count": count_},
        )
        cursor.execute(f"ANALYZE {TABLES[2]}")


def deliver(ids: list[int], n: int, args, baseline=None) -> dict:
    """deliver_due() in --delivery-workers processes through a loopback SMTP server until nothing is
    due, from the mid-drain ledger, beside the floor: the SMTP conversation alone (bench/smtp_delivery.py)."""
    from django.conf import settings
    from django.db import connection

    from subscriptions import delivery

    count_, history, workers = args.deliveries, args.history, args.delivery_workers
    mid_drain(ids, n, count_, history)
    result = {"notifications": count_, "sent_history": history, "workers": workers}
    # What every beat run pays first, whatever is due: taking back rows of dead workers.
    result["release_stale_ms"] = round(1000 * in_rollback(lambda cursor: delivery.release_stale())[0], 1)
    for name, module in (("claim", delivery), ("baseline_claim", baseline)):
        if module is not None:
            result[f"{name}_ms"] = round(
                1000 * min(in_rollback(lambda c, m=module: m.claim_due())[0] for _ in range(3)), 1
            )
    sample = sample_message()
    with smtp_delivery.SinkServer() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", sink.port, False
        settings.EMAIL_TIMEOUT = 30
        floor_s = smtp_floor(sink.port, sample, count_, workers)
        load = os.getloadavg()
        elapsed, emails = smtp_delivery.drain_in_parallel(f"{schema_of(n)}, public", workers)
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {schema_of(n)}, public")
        cursor.execute(f"SELECT status, count(*) FROM {TABLES[2]} GROUP BY 1")
        statuses = dict(cursor.fetchall())
        cursor.execute(f"SELECT count(DISTINCT message_id) FROM {TABLES[2]} WHERE status = 'sent' AND message_id <> ''")
        distinct_ids = cursor.fetchone()[0]
        cursor.execute(f"TRUNCATE {TABLES[2]}")
    return {
        **result,
        "smtp_floor_s": round(floor_s, 2),
        "message_bytes": len(sample),
        "emails": emails,
        "distinct_message_ids": distinct_ids,
        "statuses": statuses,
        "deliver_s": round(elapsed, 1),
        "emails_per_s": round(emails / elapsed, 1),
        "load_during": [round(x, 2) for x in load],
    }


def smtp_floor(port: int, message: bytes, total: int, workers: int) -> float:
    smtp_delivery.smtp_floor(port, message, min(total, 200), workers)  # warm-up: the sink's first sessions
    return smtp_delivery.smtp_floor(port, message, total, workers)


def sample_message() -> bytes:
    """One digest as the workers will build it (a pending row's), as bytes: the floor sends copies."""
    from layers.models import Event
    from subscriptions import emails
    from subscriptions.models import Delivery

    row = Delivery.objects.filter(status="pending").select_related("subscription").first()
    event = Event.objects.select_related("district").get(pk=row.event_id)
    return emails.digest(row.subscription, [event], [row.pk]).message().as_bytes(linesep="\r\n")


# --- Running and reporting -----------------------------------------------------------------------------


def log(message: str):
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def measure(n: int, args, single_ids, batch_ids, baseline) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        built = None if holds(cursor, n) and not args.rebuild else build(n, args.seed)
        fresh_ledger(cursor, schema_of(n))
        added = sync_indexes(cursor, schema_of(n))
        cursor.execute(f"SET search_path TO {schema_of(n)}, public")
        cursor.execute(f"SELECT count(*) FROM {TABLES[1]}")
        parts = cursor.fetchone()[0]
    from subscriptions import matching

    current = Matcher(matching, "current", sets_jit=True)
    result = {"build_s": round(built, 1) if built else "reused", "indexes_added": added, "parts": parts}
    result["load_before"] = os.getloadavg()
    log(f"{n:,}: one event at a time")
    result["one_event"] = one_event(single_ids, current, args.budget)
    log(f"{n:,}: STRtree")
    result["strtree"] = strtree(batch_ids)
    log(f"{n:,}: batch of {len(batch_ids):,}")
    result["batch"] = batch(batch_ids, current)
    if baseline:
        old = Matcher(baseline["matching"], args.baseline, sets_jit=False)
        few = batch_ids[: args.baseline_events]
        log(f"{n:,}: baseline {args.baseline}")
        result["baseline"] = {
            "revision": args.baseline,
            "one_event": one_event(single_ids, old, args.budget),
            "batch_current": batch(few, current, floor=False),
            "batch_baseline": batch(few, old, floor=False),
        }
    log(f"{n:,}: delivering {args.deliveries:,}")
    if args.deliveries:
        result["deliver"] = deliver(batch_ids, n, args, baseline and baseline["delivery"])
    result["load_after"] = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute("SET search_path TO public")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscriptions", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--events", type=int, default=10_000, help="events in the batch")
    parser.add_argument("--single", type=int, default=200, help="events matched one at a time")
    parser.add_argument("--budget", type=float, default=60, help="seconds for each one-at-a-time pass")
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--delivery-workers", type=int, default=4, help="processes draining the ledger at once")
    parser.add_argument("--history", type=int, default=1_000_000, help="sent rows in the ledger while delivering")
    parser.add_argument("--baseline", help="git revision whose matching.py and delivery.py to measure too")
    parser.add_argument("--baseline-events", type=int, default=1_000, help="batch size for the baseline")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--rebuild", action="store_true", help="build the sets again even if present")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()

    prepare_database()
    from celery.signals import before_task_publish

    published = []  # the ledger is the queue: matching and delivering must not enqueue a single task
    before_task_publish.connect(lambda **kwargs: published.append(kwargs.get("sender")), weak=False)
    from django.db import connection

    from layers.models import Event

    baseline = None
    if args.baseline:
        baseline = {
            name: from_git(args.baseline, f"subscriptions/{name}.py", f"baseline_{name}")
            for name in ("matching", "delivery")
        }
    with connection.cursor() as cursor:
        for n in args.subscriptions:  # the ledgers first: they hold the events' foreign keys
            if _exists(cursor, n):
                cursor.execute(f"TRUNCATE {schema_of(n)}.{TABLES[2]}")
    Event.objects.filter(item_ref__startswith=BENCH_REF).delete()
    single_ids = make_events(event_specs(args.single, args.seed + 1, 1))
    batch_ids = make_events(event_specs(args.events, args.seed + 2, 100_000))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE layers_event")
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv[1:]),
        "machine": machine(),
        "sizes": {},
    }
    for n in args.subscriptions:
        report["sizes"][n] = measure(n, args, single_ids, batch_ids, baseline)
    report["celery_tasks_published"] = len(published)
    print_table(report)
    output = args.output or BASE / "bench" / "results" / f"subscriptions-{dt.date.today().isoformat()}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log(f"written to {output}")


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), postgis_lib_version(), current_setting('jit')")
        pg, postgis, jit = cursor.fetchone()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": pg.split(" on ")[0],
        "postgis": postgis,
        "jit": jit,
        "shapely": shapely.__version__,
    }


def _ms(part: dict | None, key: str) -> str:
    return "—" if not part else "{p50} / {p95}".format(**part[key])


def _cpu(r: dict) -> str:
    return f"{r['strtree']['query_cpu_s']} / {r['batch']['postgis_floor_cpu_s']} / {r['batch']['select_cpu_s']}"


ROWS = [
    ("one event, ms p50 / p95: raw PostGIS probe (floor)", lambda r: _ms(r["one_event"], "floor_ms")),
    ("  matching SELECT alone", lambda r: _ms(r["one_event"], "select_ms")),
    ("  match_events (SELECT + ledger insert)", lambda r: _ms(r["one_event"], "match_events_ms")),
    ("  target: 2 x floor p50 + 5 ms", lambda r: r["one_event"]["target_ms"]),
    (
        "  ledger rows per event, mean / max",
        lambda r: "{mean} / {max}".format(**r["one_event"]["ledger_rows_per_event"]),
    ),
    ("batch, s: STRtree build", lambda r: r["strtree"]["build_s"]),
    ("  STRtree query (floor)", lambda r: r["strtree"]["query_s"]),
    ("  raw PostGIS spatial join", lambda r: r["batch"]["postgis_floor_s"]),
    ("  matching SELECT alone", lambda r: r["batch"]["select_s"]),
    ("  target: 3 x STRtree query", lambda r: round(3 * r["strtree"]["query_s"], 2)),
    ("  CPU s: STRtree / PostGIS join / SELECT", lambda r: _cpu(r)),
    ("  ledger insert", lambda r: r["batch"]["ledger_insert_s"]),
    ("  match_events total", lambda r: r["batch"]["match_events_s"]),
    ("  ledger rows written", lambda r: f"{r['batch']['ledger_rows']:,}"),
    ("deliver, s: SMTP conversation alone (floor)", lambda r: r["deliver"]["smtp_floor_s"]),
    ("  deliver_due in N workers until done", lambda r: r["deliver"]["deliver_s"]),
    ("  target", lambda r: 30),
    ("  workers / emails per second", lambda r: f"{r['deliver']['workers']} / {r['deliver']['emails_per_s']}"),
    ("  claim_due, ms (1M rows sent ahead)", lambda r: r["deliver"]["claim_ms"]),
    ("  release_stale, ms (same ledger)", lambda r: r["deliver"]["release_stale_ms"]),
]
BASELINE_ROWS = [
    ("baseline: one event match_events, ms", lambda r: _ms(r["baseline"]["one_event"], "match_events_ms")),
    ("baseline: batch SELECT alone, s", lambda r: r["baseline"]["batch_baseline"]["select_s"]),
    ("  current code, same events", lambda r: r["baseline"]["batch_current"]["select_s"]),
    ("baseline: batch match_events, s", lambda r: r["baseline"]["batch_baseline"]["match_events_s"]),
    ("  current code, same events", lambda r: r["baseline"]["batch_current"]["match_events_s"]),
    ("baseline: claim_due, ms", lambda r: r["deliver"]["baseline_claim_ms"]),
]


def _cell(value, r):
    try:
        return value(r)
    except KeyError:  # a part not measured in this run (--deliveries 0)
        return "—"


def print_table(report):
    sizes = report["sizes"]
    rows = ROWS + (BASELINE_ROWS if all("baseline" in r for r in sizes.values()) else [])
    width = max(len(label) for label, _ in rows)
    print(f"{'subscriptions':{width}}  " + "  ".join(f"{int(n):>16,}" for n in sizes))
    for label, value in rows:
        print(f"{label:{width}}  " + "  ".join(f"{_cell(value, r)!s:>16}" for r in sizes.values()))
    print(f"Celery tasks published while matching and delivering: {report['celery_tasks_published']}")


if __name__ == "__main__":
    main()
