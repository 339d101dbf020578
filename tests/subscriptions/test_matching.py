"""Which events reach which subscriptions: place, topic, kind of change, time, and whose action."""

from django.contrib.gis.geos import Point

from places.models import District
from subscriptions.matching import match_events
from subscriptions.models import Delivery
from tests.subscriptions.conftest import INSIDE, OUTSIDE, happen, make_subscription


def _matched(subscription):
    return list(Delivery.objects.filter(subscription=subscription).values_list("event_id", flat=True))


def test_it_matches_an_event_inside_the_drawn_area(subscription):
    event = happen(INSIDE)
    assert _matched(subscription) == [event.pk]


def test_it_ignores_an_event_outside_the_area(subscription):
    happen(OUTSIDE)
    assert _matched(subscription) == []


def test_it_matches_an_event_on_the_border(subscription):
    event = happen(Point(44.7540, 41.7105, srid=4326))  # exactly on the west edge
    assert _matched(subscription) == [event.pk]


def test_it_matches_an_area_that_touches_the_subscription(subscription):
    from django.contrib.gis.geos import Polygon

    sub = make_subscription(topics=["projects"])
    # A park project whose area overlaps the subscription's north-east corner only.
    nearby = Polygon(
        ((44.7575, 41.7110), (44.7600, 41.7110), (44.7600, 41.7130), (44.7575, 41.7130), (44.7575, 41.7110)), srid=4326
    )
    event = happen(nearby, layer="projects", topic="projects")
    assert _matched(sub) == [event.pk]


def test_it_matches_a_district_by_the_events_stored_district(db):
    vake = District.objects.get(name_en="Vake")
    sub = make_subscription("district", district=vake)
    inside = happen(INSIDE)
    happen(OUTSIDE)
    assert _matched(sub) == [inside.pk]


def test_it_matches_everything_for_all_of_tbilisi(db):
    sub = make_subscription("city")
    events = [happen(INSIDE).pk, happen(OUTSIDE).pk]
    assert sorted(_matched(sub)) == sorted(events)


def test_it_matches_a_circle_around_a_point(db):
    sub = make_subscription("circle", lon=44.7560, lat=41.7105, radius_m=200)
    near = happen(Point(44.7575, 41.7105, srid=4326))  # ~125 m east
    happen(Point(44.7600, 41.7105, srid=4326))  # ~330 m east
    assert _matched(sub) == [near.pk]


def test_it_tells_followers_of_an_item_of_every_change(db):
    sub = make_subscription("item", topics=[], groups=[], item_layer="construction-permits", item_id=7)
    sub.kinds = ["created", "status_changed", "updated", "withdrawn", "consultation_opened", "deadline_missed"]
    sub.save()
    mine = [happen(OUTSIDE, item_id=7).pk, happen(OUTSIDE, item_id=7, kind="updated").pk]
    happen(OUTSIDE, item_id=8)
    assert sorted(_matched(sub)) == sorted(mine)


def test_it_filters_by_topic_and_includes_subtopics(db):
    reports = make_subscription(topics=["reports"])
    lighting_only = make_subscription(topics=["reports:street-lighting"])
    lamp = happen(topic="reports:street-lighting", layer="reports")
    bench = happen(topic="reports:park-benches", layer="reports", item_id=2)
    happen(topic="construction", item_id=3)
    assert sorted(_matched(reports)) == sorted([lamp.pk, bench.pk])
    assert _matched(lighting_only) == [lamp.pk]


def test_it_filters_by_kind_of_change(db):
    new_only = make_subscription(groups=["new"])
    consultations = make_subscription(groups=["consultation"])
    happen(kind="status_changed")
    opened = happen(kind="consultation_opened", item_id=2)
    created = happen(kind="created", item_id=3)
    assert _matched(new_only) == [created.pk]
    assert _matched(consultations) == [opened.pk]


def test_it_counts_a_consultation_opening_as_a_status_change(subscription):
    opened = happen(kind="consultation_opened")
    assert _matched(subscription) == [opened.pk]


def test_it_sends_nothing_recorded_before_confirmation(db):
    pending = make_subscription(confirmed=False)
    happen()
    pending.confirm()
    assert _matched(pending) == []
    later = happen(item_id=2)
    assert _matched(pending) == [later.pk]


def test_it_sends_nothing_to_paused_or_unsubscribed(db):
    from django.utils import timezone

    paused = make_subscription()
    paused.paused = True
    paused.save()
    gone = make_subscription()
    gone.unsubscribed_at = timezone.now()
    gone.save()
    happen()
    assert _matched(paused) == [] and _matched(gone) == []


def test_it_treats_old_history_as_history_not_news(subscription, settings):
    settings.SUBSCRIPTIONS_HISTORY_WINDOW_DAYS = 30
    happen(occurred_days_ago=400)
    recent = happen(occurred_days_ago=3, item_id=2)
    assert _matched(subscription) == [recent.pk]


def test_it_does_not_tell_residents_of_their_own_actions(db, resident, stranger):
    mine = make_subscription(user=resident)
    theirs = make_subscription(user=stranger)
    event = happen(actor=resident)
    assert _matched(mine) == []
    assert _matched(theirs) == [event.pk]


def test_it_writes_each_pair_once_however_often_it_is_matched(subscription):
    event = happen()
    assert match_events([event.pk]) == 0
    assert Delivery.objects.filter(subscription=subscription, event=event).count() == 1


def test_it_matches_through_many_parts_once(db):
    # A large irregular area is cut into many parts; an event on a cut line touches two.
    from django.contrib.gis.geos import Polygon

    ring = [(44.70 + 0.0005 * i, 41.70 + (0.02 if i % 2 else 0.0)) for i in range(200)]
    ring += [(44.80, 41.68), (44.70, 41.68), ring[0]]
    sub = make_subscription(geojson={"type": "Polygon", "coordinates": [[list(p) for p in ring]]})
    assert sub.parts.count() > 1
    event = happen(Point(44.75, 41.69, srid=4326))
    assert _matched(sub) == [event.pk]
    assert Polygon  # imported for clarity of the shape above


def test_it_delays_instant_to_gather_and_digests_to_eight(db):
    from zoneinfo import ZoneInfo

    instant = make_subscription()
    daily = make_subscription(frequency="daily")
    event = happen()
    due_instant = Delivery.objects.get(subscription=instant).due_at
    due_daily = Delivery.objects.get(subscription=daily).due_at.astimezone(ZoneInfo("Asia/Tbilisi"))
    assert 60 <= (due_instant - event.recorded_at).total_seconds() <= 600
    assert (due_daily.hour, due_daily.minute) == (8, 0) and due_daily > event.recorded_at
