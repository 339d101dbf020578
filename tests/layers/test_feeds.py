"""Registers published at a URL are imported on a schedule, once per period, and not re-fetched unchanged."""

import functools
import http.server
import threading
import time

import pytest

from layers.importing import Mapping
from layers.models import ConstructionPermit, Feed, ImportRun
from layers.tasks import import_feed, poll_feeds
from tests.layers.conftest import SAMPLES


@pytest.fixture
def register_server():
    handler = functools.partial(QuietHandler, directory=str(SAMPLES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        QuietHandler.requests.append(self.headers.get("If-Modified-Since"))
        super().do_GET()


def _feed(url, **extra):
    import yaml

    mapping = yaml.safe_load((SAMPLES / "construction_permits.yaml").read_text())
    return Feed.objects.create(
        name="urban-development", layer="construction-permits", url=url, mapping=mapping, **extra
    )


def test_it_imports_a_feed_and_skips_it_when_unchanged(db, register_server):
    feed = _feed(f"{register_server}/construction_permits.csv")
    assert import_feed(feed.pk).startswith("11 rows read: 4 created, 0 updated, 0 unchanged, 0 withdrawn, 5 refused")
    feed.refresh_from_db()
    assert feed.last_run.started_via == "feed" and feed.last_modified
    assert import_feed(feed.pk) == "not modified"
    assert ImportRun.objects.count() == 1


def test_it_claims_a_due_feed_once_even_if_beat_runs_twice(db, register_server, django_capture_on_commit_callbacks):
    feed = _feed(f"{register_server}/construction_permits.csv")
    before = Feed.objects.get(pk=feed.pk).last_checked_at
    poll_feeds()
    first = Feed.objects.get(pk=feed.pk).last_checked_at
    poll_feeds()  # a second beat in the same period finds nothing due
    assert before is None and Feed.objects.get(pk=feed.pk).last_checked_at == first


def test_it_ignores_a_feed_with_a_broken_mapping(db, register_server):
    feed = _feed(f"{register_server}/construction_permits.csv")
    feed.mapping = {"layer": "nope"}
    feed.save()
    assert import_feed(feed.pk) == "bad mapping"
    assert Mapping  # the mapping module is what validated it


@pytest.mark.slow
def test_it_imports_through_a_real_worker(tbilisi, celery_worker, register_server):
    feed = _feed(f"{register_server}/construction_permits.csv")
    import_feed.delay(feed.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not ConstructionPermit.objects.exists():
        time.sleep(0.3)
    assert ConstructionPermit.objects.count() == 4
    assert ImportRun.objects.get().started_via == "feed"
