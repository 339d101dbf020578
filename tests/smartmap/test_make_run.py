"""`make run` from a developer's point of view: it starts, serves, stops on Ctrl-C, and starts again.

The run is the real one (gunicorn, a Celery worker and beat under bin/devrun.py), started with
`make run PORT=<free port>` in its own session so that the test can deliver Ctrl-C the way a
terminal does: SIGINT to the whole foreground process group. Every process of the run inherits a
unique SMARTMAP_RUN_ID, so "nothing is left behind" means no process in /proc carries that marker.

The run uses its own database (smartmap_runtest) and Redis DB 3, so a developer's data and a
developer's own `make run` are untouched, but the same PostgreSQL and Redis servers: those were
running before the test, so the run must leave them running when it stops.
"""

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
PG = {"host": "127.0.0.1", "port": settings.PG_PORT, "user": "smartmap", "password": "smartmap"}
RUN_DB = "smartmap_runtest"
RUN_REDIS_URL = f"redis://127.0.0.1:{settings.REDIS_PORT}/3"
START_TIMEOUT = 180  # a first start migrates a fresh database and loads the boundaries
STOP_TIMEOUT = 60
LEFTOVER_TIMEOUT = 10
# Variables of an outer make (`make test`) that would turn ours into a confused sub-make, and of
# pytest that would run the portal with the test settings instead of a developer's.
OUTER_MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "DJANGO_SETTINGS_MODULE", "DEBUG")

pytestmark = pytest.mark.slow


class MakeRun:
    """One `make run` in its own session, its output going to a file."""

    def __init__(self, port: int, run_id: str, log_path: Path):
        self.port, self.run_id, self.log_path = port, run_id, log_path
        self.proc = None

    def start(self):
        env = {k: v for k, v in os.environ.items() if k not in OUTER_MAKE_VARIABLES}
        env.update(
            DATABASE_URL=f"postgis://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{RUN_DB}",
            REDIS_URL=RUN_REDIS_URL,
            SMARTMAP_RUN_ID=self.run_id,
        )
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== make run PORT={self.port} =====\n".encode())
            log.flush()
            # A new session, like a terminal's foreground job: killpg() below is Ctrl-C.
            self.proc = subprocess.Popen(
                ["make", "run", f"PORT={self.port}"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def output(self, chars: int = 8000) -> str:
        text = self.log_path.read_text(errors="replace")
        return text[-chars:]

    def fail(self, message: str):
        pytest.fail(f"{message}\n--- make run output (tail) ---\n{self.output()}", pytrace=False)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def wait_until_healthy(self) -> float:
        """Seconds from start until /health/ is green: database, Redis and a Celery worker."""
        started = time.monotonic()
        last = "no answer yet"
        while time.monotonic() - started < START_TIMEOUT:
            if self.proc.poll() is not None:
                self.fail(f"make run exited with {self.proc.returncode} before /health/ was green")
            try:
                status, body = self.get("/health/", timeout=5)
            except OSError as exc:  # not listening yet, or a worker still booting
                last = repr(exc)
            else:
                if status == 200 and json.loads(body).get("status") == "ok":
                    return time.monotonic() - started
                last = f"{status} {body}"
            time.sleep(1)
        self.fail(f"/health/ not green after {START_TIMEOUT}s; last answer: {last}")

    def wait_for_output(self, text: str, timeout: float = START_TIMEOUT):
        deadline = time.monotonic() + timeout
        while text not in self.output(chars=10**6):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.fail(f"make run never printed {text!r}")
            time.sleep(0.1)

    def wait_for_exit(self) -> int:
        try:
            return self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail(f"make run still running {STOP_TIMEOUT}s later")

    def interrupt(self):
        """Ctrl-C: SIGINT to the whole process group, then make must exit by itself."""
        os.killpg(self.proc.pid, signal.SIGINT)
        self.wait_for_exit()

    def kill_everything(self):
        """The safety net for a failing test: no process of this run may outlive it."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
        deadline = time.monotonic() + LEFTOVER_TIMEOUT
        while (pids := processes_marked(self.run_id)) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.2)


def processes_marked(run_id: str) -> list[int]:
    marker = f"SMARTMAP_RUN_ID={run_id}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or a kernel thread
            continue
        if marker in environ.split(b"\0"):
            pids.append(int(entry.name))
    return pids


def describe(pids: list[int]) -> str:
    lines = []
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmdline = "(gone)"
        lines.append(f"{pid}: {cmdline}")
    return "\n".join(lines)


def poll(check, timeout: float, interval: float = 0.2):
    """check() until it returns something falsy or the time is up; returns the last result."""
    deadline = time.monotonic() + timeout
    while (result := check()) and time.monotonic() < deadline:
        time.sleep(interval)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        # SO_REUSEADDR: our own finished requests leave TIME_WAIT entries on the port; only a
        # listening socket should count as "in use".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def connect(dbname: str) -> psycopg.Connection:
    return psycopg.connect(dbname=dbname, autocommit=True, connect_timeout=5, **PG)


def create_run_database():
    """A fresh smartmap_runtest, so the first start is a real first set-up.

    Fresh rather than reused: a database left by an earlier run may hold a migration history that
    no longer matches the code, and would fail the test for a reason that is not the run's.
    bin/services creates its databases only when it starts PostgreSQL, which is already up here.
    """
    with connect("postgres") as conn:
        # FORCE: a previous run killed half-way may still hold connections.
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(RUN_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(RUN_DB)))
    with connect(RUN_DB) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def services_status() -> str:
    return subprocess.run([str(ROOT / "bin" / "services"), "status"], capture_output=True, text=True, timeout=30).stdout


def check_serves(run: MakeRun):
    status, body = run.get("/ka/")
    if status != 200 or 'id="map"' not in body:
        run.fail(f"/ka/ answered {status} without the map element")
    status, body = run.get("/api/v1/districts/")
    data = json.loads(body) if status == 200 else {}
    if data.get("type") != "FeatureCollection" or len(data.get("features", [])) != 10:
        run.fail(f"/api/v1/districts/ answered {status}, not the 10 districts: {body[:300]}")
    if f"running on http://127.0.0.1:{run.port}/" not in run.output(chars=10**6):
        run.fail("make run never told the developer the address it serves")
    check_serves_as_a_deployment(run)


def check_serves_as_a_deployment(run: MakeRun):
    """DEBUG off: no URL patterns on a 404, and the map's script under a hashed, cached name."""
    status, body = run.get("/ka/no-such-page/")
    if status != 404 or "URLconf" in body or 'class="topbar"' not in body:
        run.fail(f"a missing page answered {status} with the debug page or without the site's design")
    _, page = run.get("/ka/")
    script = re.search(r'src="(/static/js/map\.[0-9a-f]{12}\.js)"', page)
    if not script:
        run.fail("the map page does not load a hashed js/map.<hash>.js")
    with urllib.request.urlopen(run.url(script[1]), timeout=10) as response:
        cache = response.headers.get("Cache-Control", "")
    if "immutable" not in cache:
        run.fail(f"{script[1]} is not cached as immutable: {cache!r}")


def check_stops_cleanly(run: MakeRun):
    run.interrupt()
    check_nothing_left(run)


def check_nothing_left(run: MakeRun):
    """Called as soon as make has returned."""
    # The prompt must come back only once everything has stopped: a developer who runs
    # `make run` again at once needs the port free, not a gunicorn still shutting down.
    left_at_exit = describe(processes_marked(run.run_id))
    port_taken_at_exit = port_in_use(run.port)
    left = poll(lambda: processes_marked(run.run_id), LEFTOVER_TIMEOUT)
    if left_at_exit:
        outcome = f"still running {LEFTOVER_TIMEOUT}s later" if left else "they exited a little later"
        run.fail(f"make returned while processes of the run were running ({outcome}):\n{left_at_exit}")
    if port_taken_at_exit:
        run.fail(f"port {run.port} was still taken when make returned")
    status = services_status()
    if "postgres: running" not in status or "redis: running" not in status:
        run.fail(f"make run stopped services it did not start:\n{status}")


@pytest.fixture(scope="module")
def run_database():
    assert "postgres: running" in services_status(), "start the services first: bin/services start"
    create_run_database()


@pytest.fixture
def make_run(run_database, tmp_path):
    """A MakeRun on a free port, killed with all its processes whatever the test's outcome."""
    run = MakeRun(free_port(), str(uuid.uuid4()), tmp_path / "make-run.log")
    try:
        yield run
    finally:
        run.kill_everything()


def test_it_serves_stops_on_ctrl_c_and_restarts_with_its_data(make_run):
    run = make_run
    slug = f"runtest-{uuid.uuid4().hex[:12]}"
    try:
        run.start()
        first_start = run.wait_until_healthy()
        check_serves(run)
        check_stops_cleanly(run)

        # Something a developer made between two runs must survive the second start.
        with connect(RUN_DB) as conn:
            conn.execute(
                "INSERT INTO accounts_department (slug, name_ka, name_en, email) VALUES (%s, %s, %s, %s)",
                [slug, "სატესტო", "Run test", "runtest@example.org"],
            )

        run.start()
        second_start = run.wait_until_healthy()
        check_serves(run)
        with connect(RUN_DB) as conn:
            if not conn.execute("SELECT 1 FROM accounts_department WHERE slug = %s", [slug]).fetchone():
                run.fail("the department inserted between the runs is gone after the second start")
        check_stops_cleanly(run)
        # Both starts were green within START_TIMEOUT; the second skips migrations and imports.
        print(f"first start (fresh database) {first_start:.1f}s, second start {second_start:.1f}s")
    finally:
        with connect(RUN_DB) as conn:
            if conn.execute("SELECT to_regclass('accounts_department')").fetchone()[0]:
                conn.execute("DELETE FROM accounts_department WHERE slug = %s", [slug])


def test_it_stops_cleanly_when_interrupted_while_setting_up(make_run):
    make_run.start()
    make_run.wait_for_output(" setup | ")  # migrate or load_tbilisi is running
    check_stops_cleanly(make_run)


def test_it_stops_everything_when_one_process_dies(make_run):
    run = make_run.start()
    run.wait_until_healthy()
    beat = [pid for pid in processes_marked(run.run_id) if "beat" in describe([pid])]
    if not beat:
        run.fail("no celery beat process found")
    os.kill(beat[0], signal.SIGKILL)
    if run.wait_for_exit() == 0:
        run.fail("make run exited 0 although one of its processes died")
    check_nothing_left(run)
    if "beat exited" not in run.output():
        run.fail("make run did not say which process died")


def test_it_refuses_a_taken_port_before_setting_anything_up(make_run):
    with socket.socket() as other:
        other.bind(("127.0.0.1", make_run.port))
        other.listen()
        make_run.start()
        if make_run.wait_for_exit() == 0:
            make_run.fail("make run exited 0 although its port was taken")
    if f"port {make_run.port}" not in make_run.output() or " setup | " in make_run.output():
        make_run.fail("make run did not stop at once, naming the taken port")
