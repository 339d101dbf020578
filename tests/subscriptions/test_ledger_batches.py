"""A batch of events is one ledger row per subscription: its first event and the rest beside it.

An import that brings a thousand events to a whole-district subscription must not write a thousand
rows: the subscription reads them as one digest. Exactly once still holds: matching the same batch
again writes nothing, and the one email carries every event of the row, each once.
"""

from datetime import timedelta

from django.contrib.gis.geos import Point
from django.core import mail
from django.db import transaction
from django.utils import timezone

from layers.events import EventSpec, record_events
from places.models import District
from subscriptions import delivery
from subscriptions.matching import match_events
from subscriptions.models import Delivery
from tests.subscriptions.conftest import INSIDE, make_subscription


def import_batch(n: int, point=INSIDE) -> list[int]:
    specs = [
        EventSpec(
            layer="construction-permits",
            item_id=1000 + i,
            kind="created",
            topic="construction",
            geom=Point(point.x + i * 1e-5, point.y, srid=4326),
            item_ref=f"B-{i}",
            title="ახალი სახლი",
            url=f"/layers/construction-permits/{1000 + i}/",
            new_status="issued",
            occurred_at=timezone.now(),
        )
        for i in range(n)
    ]
    with transaction.atomic():
        return [e.pk for e in record_events(specs)]


def test_it_writes_one_row_per_subscription_for_a_batch(tbilisi):
    area = make_subscription()
    district = make_subscription("district", district=District.objects.for_point(INSIDE), email="d@example.ge")
    ids = import_batch(30)
    for subscription in (area, district):
        rows = list(Delivery.objects.filter(subscription=subscription))
        assert len(rows) == 1
        assert rows[0].event_id == min(ids) and sorted(rows[0].event_ids) == sorted(ids)
        assert rows[0].more == 29
    assert Delivery.objects.filter(subscription=district).event_ids() == set(ids)


def test_matching_the_same_batch_again_writes_nothing(tbilisi):
    make_subscription()
    ids = import_batch(5)
    assert match_events(ids) == 0
    assert Delivery.objects.count() == 1


def test_one_email_carries_every_event_of_the_batch_once(tbilisi):
    make_subscription()
    import_batch(12)
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert delivery.deliver_due() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("/layers/construction-permits/") == 12
    assert Delivery.objects.get().status == "sent"
