"""Matching events to subscriptions, inside the transaction that records them.

One INSERT … SELECT per batch of events writes the ledger rows for every active subscription
concerned: drawn areas and circles through their subdivided parts (GiST probe, then an exact
ST_Intersects: an event "falls in or touches" the area), districts through the event's stored
district, all-of-Tbilisi subscriptions, and followers of a single item.

One row per subscription and batch, not per (subscription, event): the pairs are gathered by
subscription into the row's first event (the lowest id) and `also_events` (see
subscriptions/models.py). A subscription reads its news as one digest, and a broad one (a whole
district, all of Tbilisi) hears of most of an import: per pair, 10,000 imported events against
100,000 subscriptions wrote 1.19 million rows in 42 s; per subscription they are ~40,000 rows
(bench/README-subscriptions.md). ON CONFLICT DO NOTHING on the unique (subscription, first event)
pair makes a second match of the same batch impossible.

Rules applied in SQL, so they hold however events arrive:
- only subscriptions confirmed before the event was recorded, not paused, not unsubscribed;
- only kinds of change the subscription asked for, and its topics ("reports" includes
  "reports:street-lighting"); followers of an item hear of every change to it;
- an event older at the source than the history window (30 days by default) notifies nobody,
  so importing a register's past is history, not news; nor does one of unknown date (no
  occurred_at: a stage a register lists without a date), whatever its recorded_at;
- nobody is told of their own action.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction

# When each frequency would send an event, worked out once per event (in `e` below), not per pair.
_DUES = """
    recorded_at + %(gather)s AS due_instant,
    (date_trunc('day', recorded_at AT TIME ZONE %(tz)s) + interval '1 day 8 hours') AT TIME ZONE %(tz)s AS due_daily,
    (date_trunc('week', recorded_at AT TIME ZONE %(tz)s) + interval '7 days 8 hours') AT TIME ZONE %(tz)s
        AS due_weekly
"""
_DUE = "CASE s.frequency WHEN 'instant' THEN e.due_instant WHEN 'daily' THEN e.due_daily ELSE e.due_weekly END"
_COMMON = """
    s.confirmed_at IS NOT NULL AND s.confirmed_at <= e.recorded_at
    AND NOT s.paused AND s.unsubscribed_at IS NULL
    AND s.kinds && e.kinds
    AND (e.actor_id IS NULL OR s.user_id IS NULL OR e.actor_id <> s.user_id)
"""

# Every (subscription, event, due_at) the rules allow, for the events in %(ids)s. The events are read
# once, with their topic and parent topic ("reports:street-lighting" and "reports") worked out per event
# rather than per candidate pair, and the history window applied before any subscription is looked at.
# A pair can come twice (a point on the seam between two parts of one area, an area event touching
# several parts): the ledger's ON CONFLICT keeps one, which costs less than sorting every pair.
MATCH_SELECT = f"""
    WITH e AS MATERIALIZED (
        SELECT id, geom, district_id, layer, item_id, recorded_at, actor_id, ARRAY[kind]::varchar[] AS kinds,
               ARRAY[topic, split_part(topic, ':', 1)]::varchar[] AS topics, {_DUES}
        FROM layers_event
        WHERE id = ANY(%(ids)s) AND occurred_at IS NOT NULL AND occurred_at >= recorded_at - %(window)s
    )
    -- Drawn areas and circles: small subdivided parts found through the GiST index.
    SELECT s.id AS subscription_id, e.id AS event_id, {_DUE} AS due_at
    FROM e
    JOIN subscriptions_subscriptionpart p ON ST_Intersects(p.geom, e.geom)
    JOIN subscriptions_subscription s ON s.id = p.subscription_id
    WHERE s.area_kind IN ('polygon', 'circle') AND s.topics && e.topics AND {_COMMON}
  UNION ALL
    SELECT s.id, e.id, {_DUE}
    FROM e JOIN subscriptions_subscription s ON s.area_kind = 'district' AND s.district_id = e.district_id
    WHERE s.topics && e.topics AND {_COMMON}
  UNION ALL
    SELECT s.id, e.id, {_DUE}
    FROM e JOIN subscriptions_subscription s ON s.area_kind = 'city'
    WHERE e.geom IS NOT NULL AND s.topics && e.topics AND {_COMMON}
  UNION ALL
    SELECT s.id, e.id, {_DUE}
    FROM e JOIN subscriptions_subscription s
      ON s.area_kind = 'item' AND s.item_layer = e.layer AND s.item_id = e.item_id
    WHERE {_COMMON}
"""

# One row per subscription: its events of the batch, in id order and each once (DISTINCT drops the
# seam duplicates), the first named by `event`, the rest in `also_events`; due when the earliest is.
MATCH_SQL = f"""
INSERT INTO subscriptions_delivery (subscription_id, event_id, also_events, status, due_at, created_at,
                                    attempts, claimed_by, last_error, message_id)
SELECT g.subscription_id, g.ids[1], g.ids[2:], 'pending', g.due_at, now(), 0, '', '', ''
FROM (
    SELECT m.subscription_id, array_agg(DISTINCT m.event_id) AS ids, min(m.due_at) AS due_at
    FROM ({MATCH_SELECT}) m
    GROUP BY m.subscription_id
) g
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
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # No JIT for this statement: a batch's estimated cost is high enough to trigger it, and compiling
        # the plan took longer than running it (13.8 s of 26 s for 10,000 events against 100,000
        # subscriptions; bench/README-subscriptions.md). set_config(..., true) lasts until the end of the
        # transaction, so the caller's setting is put back at once.
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        jit = cursor.fetchone()[0]
        cursor.execute(MATCH_SQL, match_params(event_ids))
        written = cursor.rowcount
        cursor.execute("SELECT set_config('jit', %s, true)", [jit])
    return written


def on_events_recorded(sender, events, **kwargs):
    """events_recorded receiver: the ledger rows join the transaction that records the events."""
    match_events([event.pk for event in events])
