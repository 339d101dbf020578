"""record_event(): the only way anything on the map announces a change.

Call it inside the transaction that makes the change. It files the item under its district, writes
the Event row, and sends ``events_recorded`` synchronously, so receivers (the subscriptions'
delivery ledger) write their rows in the same transaction: if the change rolls back, so does every
trace of it, and nothing is announced that did not happen. No broker is touched here.

item_event() is the one way to build the event of an item's change, and status_change_kind() the
one rule for which kind a status change is; staff edits, imports and Fix-Tbilisi all use them, so
an event means the same whoever wrote it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.dispatch import Signal
from django.utils import timezone

from layers.models import DateBasis, Event, EventKind
from places.models import District
from smartmap.lib.copy import copy_insert

COPY_THRESHOLD = 500

# Sent with ``events=[Event, ...]`` after the rows are inserted, inside the caller's transaction.
events_recorded = Signal()


@dataclass
class EventSpec:
    layer: str
    item_id: int
    kind: str
    topic: str
    geom: object = None
    occurred_at: datetime | None = None
    old_status: str = ""
    new_status: str = ""
    item_ref: str = ""
    title: str = ""
    url: str = ""
    district: District | None = None
    district_id: int | None = None
    actor: object = None
    is_demo: bool = False
    data: dict = field(default_factory=dict)
    date_basis: str = DateBasis.SOURCE


class NotInTransaction(RuntimeError):
    pass


def record_events(specs: list[EventSpec]) -> list[Event]:
    if not connection.in_atomic_block:
        raise NotInTransaction("record_event() must run inside the transaction that makes the change")
    now = timezone.now()
    events = []
    for spec in specs:
        district_id = spec.district.pk if spec.district is not None else spec.district_id
        if district_id is None and spec.geom is not None:
            point = spec.geom if spec.geom.geom_type == "Point" else spec.geom.point_on_surface
            district = District.objects.for_point(point)
            district_id = district.pk if district else None
        events.append(
            Event(
                layer=spec.layer,
                item_id=spec.item_id,
                item_ref=spec.item_ref[:100],
                title=spec.title[:300],
                url=spec.url,
                topic=spec.topic,
                kind=spec.kind,
                old_status=spec.old_status,
                new_status=spec.new_status,
                geom=spec.geom,
                district_id=district_id,
                occurred_at=None if spec.date_basis == DateBasis.UNKNOWN else (spec.occurred_at or now),
                date_basis=spec.date_basis,
                recorded_at=now,
                actor=spec.actor,
                is_demo=spec.is_demo,
                data=spec.data,
            )
        )
    if len(events) > COPY_THRESHOLD:
        copy_insert(Event, events)  # imports: COPY is ~10x faster than a giant INSERT
    else:
        Event.objects.bulk_create(events)
    events_recorded.send(sender=Event, events=events)
    return events


def record_event(**fields) -> Event:
    """Record one change; see EventSpec for the fields."""
    return record_events([EventSpec(**fields)])[0]


def status_change_kind(new_status: str) -> str:
    """Which kind of change a new status is: a public consultation opening is its own kind, since
    residents subscribe to it to take part in time."""
    return EventKind.CONSULTATION_OPENED if new_status == "public_consultation" else EventKind.STATUS_CHANGED


def item_event(
    item,
    kind: str,
    *,
    topic: str | None = None,
    old_status: str = "",
    new_status: str = "",
    occurred_at: datetime | None = None,
    date_basis: str = DateBasis.SOURCE,
    actor=None,
    url: str | None = None,
    data: dict | None = None,
) -> EventSpec:
    """The event of a change to one item (a layer item or a report), from the item as it now is.

    ``topic`` defaults to the item's layer's; ``url`` to its public path (an import that writes many
    events of one item passes it, since reversing a URL costs more than the rest of an event).
    """
    from layers.registry import get_layer

    return EventSpec(
        layer=item.LAYER,
        item_id=item.pk,
        kind=kind,
        topic=topic or get_layer(item.LAYER).topic,
        geom=item.point,
        occurred_at=occurred_at,
        date_basis=date_basis,
        old_status=old_status,
        new_status=new_status or item.status,
        item_ref=item.reference,
        title=item.title,
        url=item.public_path() if url is None else url,
        district_id=item.district_id,
        actor=actor,
        is_demo=item.is_demo,
        data=data or {},
    )
