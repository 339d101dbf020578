"""Several workers draining the ledger at once, through a mail server that drops connections.

Real processes, as in test_exactly_once.py: Celery workers on the test database, a throwaway Redis,
a loopback SMTP server (smtp_sink.py) and beat's stand-in. Two workers claim in parallel; the
server closes the connection in the middle of some conversations; one worker is SIGKILLed while the
server holds one of its messages. Every subscription still gets exactly one message, and a worker
keeps one SMTP conversation for all the messages of a run instead of one per message.
"""

import time

import pytest
from django.contrib.gis.geos import Point
from django.db import transaction

from layers.demo import CENTRES
from subscriptions.models import Delivery
from tests.subscriptions.conftest import happen
from tests.subscriptions.test_exactly_once import Beat, assert_exactly_once, circles, rig, wait_until

pytestmark = pytest.mark.slow
__all__ = ["rig"]  # the fixture, shared with test_exactly_once


def record_around_the_centres(first_item: int):
    with transaction.atomic():  # one commit: the workers find every row due at once
        for i, (lon, lat, _, _) in enumerate(CENTRES):
            happen(Point(lon, lat, srid=4326), item_id=first_item + i)


def test_it_keeps_one_conversation_for_a_whole_run(rig):
    subscriptions = circles()
    rig.beat.running.clear()
    rig.start_worker()
    time.sleep(1)
    record_around_the_centres(500)
    before = rig.sink.conversations
    rig.beat.running.set()
    rig.wait_until_delivered(subscriptions)
    assert len(rig.sink.accepted) == len(subscriptions)
    assert rig.sink.conversations - before < len(subscriptions), "one SMTP session per message"
    assert_exactly_once(rig.sink, subscriptions)


def test_it_delivers_exactly_once_with_two_workers_a_dropping_server_and_a_kill(rig):
    subscriptions = circles()
    slow = subscriptions[0].email
    rig.sink.drop_at = {2, 4}  # these DATA commands are answered by closing the connection
    rig.sink.slow_to, rig.sink.slow_delay = slow, 60
    workers = [rig.start_worker(), rig.start_worker()]
    record_around_the_centres(600)

    def holding_the_slow_one():
        rows = Delivery.objects.filter(subscription=subscriptions[0], status="sending")
        return rows.exists() and all(r.claimed_by for r in rows)

    wait_until(holding_the_slow_one, 30, "a worker to send the slow message", rig.explain)
    time.sleep(1)  # into the DATA it is waiting on
    owner = Delivery.objects.filter(subscription=subscriptions[0]).values_list("claimed_by", flat=True).first()
    pid = int(owner.rsplit(":", 1)[1])
    victim = next(w for w in workers if w.pool_child() == pid)
    victim.kill()  # SIGKILL to its process group: the pool child waiting for the 250 dies with it
    rig.sink.slow_delay = 0

    rig.start_worker()
    rig.wait_until_delivered(subscriptions, timeout=90)
    rig.settle()
    assert_exactly_once(rig.sink, subscriptions)
    assert len(rig.sink.abandoned) >= 2, "the dropped conversations and the killed one were not accepted"


def test_two_workers_and_two_beats_deliver_exactly_once(rig):
    second_beat = Beat(rig.app, rig.queue)  # a second beat: every tick's task sent twice
    second_beat.start()
    try:
        subscriptions = circles()
        rig.start_worker(), rig.start_worker()
        record_around_the_centres(700)
        rig.wait_until_delivered(subscriptions)
        rig.settle()
        assert second_beat.sent > 0
        assert_exactly_once(rig.sink, subscriptions)
    finally:
        second_beat.stop()
