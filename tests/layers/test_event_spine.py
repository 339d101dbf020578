"""record_event(): written in the change's transaction, filed under a district, announced in-transaction."""

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import transaction

from layers.events import NotInTransaction, events_recorded, record_event
from layers.models import Event
from places.models import District

FREEDOM_SQUARE = Point(44.7930, 41.6938, srid=4326)


def _record(**extra):
    fields = dict(layer="construction-permits", item_id=1, kind="created", topic="construction", geom=FREEDOM_SQUARE)
    fields.update(extra)
    return record_event(**fields)


def test_it_files_the_event_under_the_district_of_its_location(db):
    with transaction.atomic():
        event = _record()
    event.refresh_from_db()
    assert event.district == District.objects.get(name_en="Mtatsminda")
    assert event.recorded_at is not None and event.occurred_at is not None


def test_it_keeps_when_a_change_happened_at_the_source_apart_from_when_it_was_recorded(db):
    issued = datetime(2019, 5, 17, 9, 0, tzinfo=UTC)
    with transaction.atomic():
        event = _record(kind="status_changed", old_status="review", new_status="issued", occurred_at=issued)
    event.refresh_from_db()
    assert event.occurred_at == issued
    assert event.recorded_at > issued


def test_it_files_an_area_under_the_district_of_a_point_on_its_surface(db):
    vake = District.objects.get(name_en="Vake")
    with transaction.atomic():
        event = _record(geom=vake.geom)
    assert event.district == vake


def test_it_refuses_to_run_outside_a_transaction(tbilisi):
    with pytest.raises(NotInTransaction):
        _record()


def test_it_leaves_no_event_when_the_change_rolls_back(db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        _record(item_id=99)
        raise Boom
    assert not Event.objects.filter(item_id=99).exists()


def test_it_announces_events_inside_the_same_transaction(db):
    seen = []

    def receiver(sender, events, **kwargs):
        from django.db import connection

        seen.append((connection.in_atomic_block, [e.pk for e in events]))

    events_recorded.connect(receiver)
    try:
        with transaction.atomic():
            event = _record()
    finally:
        events_recorded.disconnect(receiver)
    assert seen == [(True, [event.pk])]
