"""Matching events to subscriptions, inside the transaction that records them.

One INSERT … SELECT per batch of events writes the ledger rows for every active subscription
concerned: drawn areas and circles through their subdivided parts (GiST probe, then an exact
ST_Intersects: an event "falls in or touches" the area), districts through the event's stored
district, all-of-Tbilisi subscriptions, and followers of a single item. ON CONFLICT DO NOTHING
on the unique (subscription, event) pair makes a second match of the same pair impossible.

Rules applied in SQL, so they hold however events arrive:
- only subscriptions confirmed before the event was recorded, not paused, not unsubscribed;
- only kinds of change the subscription asked for, and its topics ("reports" includes
  "reports:street-lighting"); followers of an item hear of every change to it;
- an event older at the source than the history window (30 days by default) notifies nobody,
  so importing a register's past is history, not news;
- nobody is told of their own action.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection

_DUE = """
    CASE s.frequency
      WHEN 'instant' THEN e.recorded_at + %(gather)s
      WHEN 'daily' THEN (date_trunc('day', e.recorded_at AT TIME ZONE %(tz)s) + interval '1 day 8 hours')
                        AT TIME ZONE %(tz)s
      ELSE (date_trunc('week', e.recorded_at AT TIME ZONE %(tz)s) + interval '7 days 8 hours') AT TIME ZONE %(tz)s
    END
"""
_COMMON = """
    s.confirmed_at IS NOT NULL AND s.confirmed_at <= e.recorded_at
    AND NOT s.paused AND s.unsubscribed_at IS NULL
    AND e.kind = ANY(s.kinds)
    AND e.occurred_at >= e.recorded_at - %(window)s
    AND (e.actor_id IS NULL OR s.user_id IS NULL OR e.actor_id <> s.user_id)
"""
_TOPIC = "s.topics && ARRAY[e.topic, split_part(e.topic, ':', 1)]::varchar[]"

# Every (subscription, event, due_at) the rules allow, for the events in %(ids)s.
MATCH_SELECT = f"""
    -- Drawn areas and circles: small subdivided parts found through the GiST index.
    SELECT DISTINCT s.id AS subscription_id, e.id AS event_id, {_DUE} AS due_at
    FROM layers_event e
    JOIN subscriptions_subscriptionpart p ON ST_Intersects(p.geom, e.geom)
    JOIN subscriptions_subscription s ON s.id = p.subscription_id
    WHERE e.id = ANY(%(ids)s) AND s.area_kind IN ('polygon', 'circle') AND {_TOPIC} AND {_COMMON}
  UNION ALL
    SELECT s.id, e.id, {_DUE}
    FROM layers_event e
    JOIN subscriptions_subscription s ON s.area_kind = 'district' AND s.district_id = e.district_id
    WHERE e.id = ANY(%(ids)s) AND {_TOPIC} AND {_COMMON}
  UNION ALL
    SELECT s.id, e.id, {_DUE}
    FROM layers_event e
    JOIN subscriptions_subscription s ON s.area_kind = 'city'
    WHERE e.id = ANY(%(ids)s) AND e.geom IS NOT NULL AND {_TOPIC} AND {_COMMON}
  UNION ALL
    SELECT s.id, e.id, {_DUE}
    FROM layers_event e
    JOIN subscriptions_subscription s
      ON s.area_kind = 'item' AND s.item_layer = e.layer AND s.item_id = e.item_id
    WHERE e.id = ANY(%(ids)s) AND {_COMMON}
"""

MATCH_SQL = f"""
INSERT INTO subscriptions_delivery (subscription_id, event_id, status, due_at, created_at, attempts,
                                    claimed_by, last_error, message_id)
SELECT m.subscription_id, m.event_id, 'pending', m.due_at, now(), 0, '', '', ''
FROM ({MATCH_SELECT}) m
ON CONFLICT (subscription_id, event_id) DO NOTHING
"""


def match_params(event_ids: list[int]) -> dict:
    """The parameters of MATCH_SELECT and MATCH_SQL for these events."""
    return {
        "ids": list(event_ids),
        "window": timedelta(days=settings.SUBSCRIPTIONS_HISTORY_WINDOW_DAYS),
        "gather": timedelta(seconds=settings.SUBSCRIPTIONS_INSTANT_GATHER_SECONDS),
        "tz": settings.TIME_ZONE,
    }


def match_events(event_ids: list[int]) -> int:
    """Write the ledger rows for these events; returns how many rows were written."""
    if not event_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(MATCH_SQL, match_params(event_ids))
        return cursor.rowcount


def on_events_recorded(sender, events, **kwargs):
    """events_recorded receiver: the ledger rows join the transaction that records the events."""
    match_events([event.pk for event in events])
