"""One builder for the event of an item's change, one rule for its kind, and dates that may be unknown."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from layers.events import item_event, record_events, status_change_kind
from layers.models import DateBasis, Event, timeline
from subscriptions.models import Delivery
from tests.layers.factories import permit
from tests.subscriptions.conftest import make_subscription


def test_one_rule_says_a_public_consultation_opens_a_consultation_window():
    assert status_change_kind("public_consultation") == "consultation_opened"
    assert status_change_kind("issued") == "status_changed"


def test_it_builds_the_event_from_the_item_as_it_now_is(db):
    item = permit(status="issued")
    spec = item_event(item, "status_changed", old_status="under_review")
    assert (spec.layer, spec.item_id, spec.topic, spec.new_status) == (
        "construction-permits",
        item.pk,
        "construction",
        "issued",
    )
    assert (spec.url, spec.district_id, spec.item_ref) == (item.public_path(), item.district_id, item.reference)


def test_an_event_of_unknown_date_has_no_date_and_notifies_nobody(db):
    subscription = make_subscription(groups=("new", "status"))
    item = permit()
    with transaction.atomic():
        (event,) = record_events([item_event(item, "created", date_basis=DateBasis.UNKNOWN)])
    event.refresh_from_db()
    assert (event.occurred_at, event.date_basis) == (None, "unknown")
    assert not Delivery.objects.filter(subscription=subscription).exists()


def test_a_seen_change_is_news(db):
    subscription = make_subscription(groups=("new", "status"))
    item = permit()
    with transaction.atomic():
        (event,) = record_events([item_event(item, "status_changed", date_basis=DateBasis.SEEN)])
    assert event.occurred_at is not None
    assert list(Delivery.objects.filter(subscription=subscription).values_list("event_id", flat=True)) == [event.pk]


def test_the_database_refuses_a_date_that_disagrees_with_its_basis(db):
    item = permit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            layer=item.LAYER,
            item_id=item.pk,
            topic="construction",
            kind="created",
            date_basis="unknown",
            occurred_at=datetime(2020, 1, 1, tzinfo=UTC),
        )


def test_the_timeline_keeps_an_undated_stage_in_its_place(db):
    item = permit()
    at = [datetime(2019, 3, 1, tzinfo=UTC), datetime(2021, 6, 1, tzinfo=UTC), datetime(2020, 1, 1, tzinfo=UTC)]
    with transaction.atomic():
        record_events(
            [
                item_event(item, "created", new_status="application_filed", occurred_at=at[0]),
                item_event(item, "status_changed", new_status="issued", date_basis=DateBasis.UNKNOWN),
                item_event(item, "status_changed", new_status="completed", occurred_at=at[1]),
                # Learned later, dated earlier: it goes in its place, before the completion.
                item_event(item, "status_changed", new_status="construction_started", occurred_at=at[2]),
            ]
        )
    history = timeline(Event.objects.of_item(item.LAYER, item.pk))
    assert [e.new_status for e in history] == ["application_filed", "issued", "construction_started", "completed"]
