"""Exactly once, with real processes: Redis down while events happen, a worker killed before or while sending.

Each test runs its own Redis server, a real Celery worker on the test database, a loopback SMTP server
(tests/subscriptions/smtp_sink.py) and a stand-in for beat that sends deliver_notifications every half
second. Events are recorded through the real code (the import core, record_event), so the ledger rows
are written exactly as in production; nothing here mocks the database, Redis or Celery. "Exactly once"
is judged where a resident would judge it: at the mail server, by the messages it answered 250 to.
"""

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter

import pytest
import redis
from celery import Celery
from django.conf import settings as django_settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from layers.demo import CENTRES, load_demo
from layers.models import Event
from places.models import District
from subscriptions.models import Delivery
from tests.subscriptions.conftest import happen, make_subscription
from tests.subscriptions.smtp_sink import SmtpSink, free_port

pytestmark = pytest.mark.slow

DELIVER = "subscriptions.tasks.deliver_notifications"
CLAIM_TIMEOUT = 5  # seconds; the worker's SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS
BEAT_INTERVAL = 0.5  # seconds between deliver_notifications sends (beat's minute, shortened)


def wait_until(condition, timeout: float, what: str, explain=lambda: ""):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:.0f} s for {what}; {explain()}")
        time.sleep(0.1)


class RedisServer:
    """A throwaway redis-server: no snapshot, no AOF, so a restart comes back empty, as after a crash."""

    def __init__(self, workdir):
        self.port, self.workdir, self.proc = free_port(), workdir, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_until(lambda: self._answers(client), 10, f"redis-server on port {self.port}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False


class Worker:
    """`celery -A smartmap worker` in its own process group, so a SIGKILL takes its pool child too."""

    def __init__(self, env: dict, log_path):
        self.env, self.log_path, self.proc = env, log_path, None

    def start(self):
        self.log = open(self.log_path, "a")  # closed in stop() or kill()
        self.proc = subprocess.Popen(
            [
                str(django_settings.BASE_DIR / ".venv/bin/celery"),
                "-A",
                "smartmap",
                "worker",
                "-n",
                f"exactly-once-{uuid.uuid4().hex[:6]}@localhost",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-Q",
                self.env["SMARTMAP_TEST_QUEUE"],
            ],
            cwd=django_settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: " ready." in self.output() or self.proc.poll() is not None, 60, "the worker to start")
        assert self.proc.poll() is None, f"the worker died at start:\n{self.output()[-3000:]}"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pool_child(self) -> int:
        children = open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read().split()
        assert len(children) == 1, f"expected one pool process, found {children}"
        return int(children[0])

    def kill(self):
        """SIGKILL the whole worker: no shutdown handler runs, nothing is acknowledged or put back."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.log.close()


class Beat(threading.Thread):
    """Sends deliver_notifications every BEAT_INTERVAL, as beat does every minute; with Redis down the
    send fails and is counted, and the next one is tried on time, as beat's would be."""

    def __init__(self, app: Celery, queue: str):
        super().__init__(daemon=True)
        self.app, self.queue = app, queue
        self.sent, self.failed = 0, 0
        self.running, self.stopped = threading.Event(), threading.Event()
        self.running.set()

    def run(self):
        while not self.stopped.wait(BEAT_INTERVAL):
            if not self.running.is_set():
                continue
            try:
                self.app.send_task(DELIVER, queue=self.queue, retry=False)
                self.sent += 1
            except Exception:  # the broker is down: this minute's send is lost, the rows are not
                self.failed += 1

    def stop(self):
        self.stopped.set()
        self.join(10)


class Rig:
    def __init__(self, tmp_path, sink: SmtpSink, redis_server: RedisServer, queue: str):
        self.tmp_path, self.sink, self.redis, self.queue = tmp_path, sink, redis_server, queue
        self.app = Celery("exactly-once", broker=redis_server.url, set_as_current=False)
        self.app.conf.update(
            task_default_queue=queue,
            broker_connection_timeout=1,
            # A send with Redis down fails at once instead of retrying: beat's next tick is the retry.
            broker_transport_options={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
        self.beat = Beat(self.app, queue)
        self.workers: list[Worker] = []
        db = connection.settings_dict
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            REDIS_URL=redis_server.url,
            SMARTMAP_TEST_QUEUE=queue,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
            EMAIL_USE_TLS="0",
            EMAIL_TIMEOUT="120",
            SUBSCRIPTIONS_INSTANT_GATHER_SECONDS="0",
            SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS=str(CLAIM_TIMEOUT),
            SUBSCRIPTIONS_MAX_ATTEMPTS="6",
            SUBSCRIPTIONS_RETRY_SECONDS="1",
        )

    def start_worker(self) -> Worker:
        worker = Worker(self.env, self.tmp_path / f"worker-{len(self.workers) + 1}.log")
        self.workers.append(worker)
        worker.start()
        return worker

    def tasks_done(self) -> int:
        """deliver_notifications runs finished, by every worker of this test (read from their logs)."""
        done = re.compile(rf"Task {re.escape(DELIVER)}\[[^\]]+\] succeeded")
        return sum(len(done.findall(w.output())) for w in self.workers)

    def explain(self) -> str:
        statuses = Counter(Delivery.objects.values_list("status", flat=True))
        log = self.workers[-1].output()[-2500:] if self.workers else ""
        return (
            f"ledger {dict(statuses)}, sink accepted {len(self.sink.accepted)} / abandoned {len(self.sink.abandoned)}, "
            f"beat sent {self.beat.sent} failed {self.beat.failed}; last worker log:\n{log}"
        )

    def wait_until_delivered(self, subscriptions, timeout=60):
        def done():
            return not Delivery.objects.exclude(status="sent").exists() and len(self.sink.accepted) >= len(
                subscriptions
            )

        wait_until(done, timeout, "every ledger row to be sent", self.explain)

    def settle(self, seconds=3.0):
        """Let beat and the worker run a few more rounds: anything sent twice would show now."""
        before = self.tasks_done()
        time.sleep(seconds)
        assert self.tasks_done() > before, f"no deliver_notifications ran while settling; {self.explain()}"


@pytest.fixture
def rig(tbilisi, settings, tmp_path):
    # The ledger rows are written here, in the recording transaction, with this process's settings.
    settings.SUBSCRIPTIONS_INSTANT_GATHER_SECONDS = 0
    with contextlib.ExitStack() as cleanup:
        sink = cleanup.enter_context(SmtpSink())
        redis_server = RedisServer(tmp_path)
        cleanup.callback(redis_server.stop)
        redis_server.start()
        # This process's cache (tile versions bumped on commit) goes through our Redis too, so
        # "Redis down" is down for the process recording the events as well.
        settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": redis_server.url}}
        rig = Rig(tmp_path, sink, redis_server, f"exactly-once-{os.getpid()}-{uuid.uuid4().hex[:6]}")
        cleanup.callback(lambda: [w.stop() for w in rig.workers])
        cleanup.callback(rig.beat.stop)
        rig.beat.start()
        yield rig


def circles(n: int = len(CENTRES)):
    """Circles 1.5 km across around the demo's busy centres, each with its own address."""
    return [
        make_subscription("circle", lon=lon, lat=lat, radius_m=1500, email=f"circle{i}@example.ge")
        for i, (lon, lat, _, _) in enumerate(CENTRES[:n])
    ]


def subscribe_around_the_centres():
    """The circles, one district and all of Tbilisi."""
    subscriptions = circles()
    vake = District.objects.get(name_en="Vake")
    subscriptions.append(make_subscription("district", district=vake, email="vake@example.ge"))
    subscriptions.append(make_subscription("city", email="city@example.ge"))
    return subscriptions


def expected_events(subscription) -> set[int]:
    """What a subscription must hear of, worked out without the matcher: by geometry, district or city."""
    events = Event.objects.all()
    if subscription.area_kind == "circle":
        events = events.filter(geom__intersects=subscription.geom)
    elif subscription.area_kind == "district":
        events = events.filter(district=subscription.district)
    return set(events.values_list("id", flat=True))


def assert_exactly_once(sink: SmtpSink, subscriptions):
    assert all(n == 1 for n in sink.counts().values()), f"a message was accepted twice: {sink.counts()}"
    for subscription in subscriptions:
        rows = list(Delivery.objects.filter(subscription=subscription))
        events = expected_events(subscription)
        assert events, f"{subscription.email}: the scenario gives this subscription nothing to hear of"
        heard = [i for row in rows for i in row.event_ids]  # a row carries one batch of events
        assert len(heard) == len(set(heard)), f"{subscription.email}: an event is in the ledger twice"
        assert set(heard) == events, f"{subscription.email}: ledger differs from its area"
        assert {row.status for row in rows} == {"sent"}, f"{subscription.email}: {[r.status for r in rows]}"
        mails = sink.to(subscription.email)
        assert len(mails) == 1, f"{subscription.email} received {len(mails)} messages"
        mail = mails[0]
        assert {row.message_id for row in rows} == {mail.message_id}
        # One line per ledger row, every item linked: all of its news in the one message.
        assert mail.text.count("\n* ") == len(heard), (
            f"{subscription.email}: {len(heard)} events, message:\n{mail.text}"
        )
        for url in Event.objects.filter(id__in=events).values_list("url", flat=True):
            assert url in mail.text
    assert len(sink.accepted) == len(subscriptions), [m.recipients for m in sink.accepted]


def test_it_delivers_exactly_once_what_happened_while_redis_was_down(rig):
    rig.start_worker()
    wait_until(lambda: rig.tasks_done() > 0, 30, "the worker to run deliver_notifications", rig.explain)
    subscriptions = subscribe_around_the_centres()

    rig.redis.stop()
    time.sleep(1)  # a task already taken from Redis finishes (on an empty ledger) before anything happens
    failed_before = rig.beat.failed
    report = load_demo("construction-permits", 60, seed=11, years=0.03)  # ~11 days of history: all news
    assert report.run.outcome == "committed" and report.run.created == 60, report.summary()

    rows = Delivery.objects.all()
    # One row per subscription for the import's batch, carrying all of its events (models.Delivery).
    assert rows.count() == len(subscriptions) and len(rows.event_ids()) >= 30
    assert not rows.exclude(status="pending").exists()
    assert not rows.filter(due_at__gt=timezone.now()).exists()
    time.sleep(2)
    assert rig.beat.failed > failed_before, "beat's sends should fail while Redis is down"
    assert rig.sink.accepted == [] and not rows.exclude(status="pending").exists(), rig.explain()

    rig.redis.start()  # empty: every task sent before the outage is gone with it
    rig.wait_until_delivered(subscriptions)
    rig.settle()
    assert_exactly_once(rig.sink, subscriptions)
    assert rig.sink.abandoned == []


def test_it_delivers_exactly_once_after_the_worker_is_killed_before_sending(rig):
    worker = rig.start_worker()
    subscriptions = circles()
    rig.beat.running.clear()
    time.sleep(1)  # the last task sent finishes
    os.kill(worker.pool_child(), signal.SIGSTOP)  # the pool cannot start a task from now on

    with transaction.atomic():
        for i, (lon, lat, _, _) in enumerate(CENTRES):
            happen(Point(lon, lat, srid=4326), item_id=100 + i)
            happen(
                Point(lon + 0.001, lat, srid=4326), item_id=200 + i, kind="status_changed", old_status="under_review"
            )
    assert Delivery.objects.filter(status="pending", due_at__lte=timezone.now()).count() == 8

    task = rig.app.send_task(DELIVER, queue=rig.queue, retry=False)
    wait_until(lambda: f"[{task.id}] received" in worker.output(), 20, "the worker to take the task", rig.explain)
    worker.kill()  # the task reached the worker and never ran

    assert rig.sink.accepted == [] and rig.sink.data_count == 0
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}

    rig.beat.running.set()
    rig.start_worker()
    rig.wait_until_delivered(subscriptions)
    rig.settle()
    assert_exactly_once(rig.sink, subscriptions)


def test_it_delivers_exactly_once_after_the_worker_is_killed_while_sending(rig):
    worker = rig.start_worker()
    subscriptions = circles(3)
    rig.sink.delay = 60  # the server takes the message and does not answer: the worker waits
    with transaction.atomic():  # one commit, so the worker claims every group in one round
        for i, (lon, lat, _, _) in enumerate(CENTRES[:3]):
            happen(Point(lon, lat, srid=4326), item_id=300 + i)

    wait_until(lambda: rig.sink.data_count == 1, 30, "the worker to send its first message", rig.explain)
    claimed = Delivery.objects.filter(status="sending")
    assert claimed.count() == 3, rig.explain()
    claimed_at = max(claimed.values_list("claimed_at", flat=True))
    worker.kill()  # waiting for the 250: the message is not accepted
    assert rig.sink.wait_for(lambda s: len(s.abandoned) == 1, 10), rig.explain()
    lost = rig.sink.abandoned[0]
    rig.sink.delay = 0
    assert rig.sink.accepted == []
    assert Delivery.objects.filter(status="sending").count() == 3, "the dead worker's claim stays until it times out"

    rig.start_worker()
    rig.wait_until_delivered(subscriptions)
    rig.settle()
    assert_exactly_once(rig.sink, subscriptions)
    again = rig.sink.to(lost.recipients[0])[0]
    assert again.message_id == lost.message_id, "the resend carries the first attempt's Message-ID"
    assert again.at >= claimed_at.timestamp() + CLAIM_TIMEOUT, "taken back only after the claim timeout"
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 2)}
    assert len(rig.sink.abandoned) == 1 and rig.sink.data_count == 4
