"""Workflows on layer items that touch more than one model.

Staff edits (admin or staff pages) go through save_item(): it files the item under its district,
derives its representative point, and records the matching event in the same transaction, so a
hand-made change reaches the timeline and the subscribers exactly like an imported one.
"""

from django.db import transaction
from django.utils import timezone

from layers.events import item_event, record_events, status_change_kind
from layers.models import EventKind
from places.models import District


def _place(item):
    # ST_PointOnSurface semantics: a point guaranteed on the line or inside the area.
    item.point = item.geom if item.geom.geom_type == "Point" else item.geom.point_on_surface
    district = District.objects.for_point(item.point)
    item.district_id = district.pk if district else None


@transaction.atomic
def do_save_item(item, *, actor, changed: list[str], old_status: str | None):
    """Save a staff-edited item and record what happened to it."""
    created = item.pk is None
    if created or "geom" in changed:
        _place(item)
    if created or (old_status is not None and old_status != item.status):
        item.status_since, item.status_date_known = timezone.now(), True
    item.save()
    events = []
    if created:
        events.append(item_event(item, EventKind.CREATED, actor=actor))
    elif old_status is not None and old_status != item.status:
        events.append(item_event(item, status_change_kind(item.status), old_status=old_status, actor=actor))
    other = [name for name in changed if name not in ("status", "status_since")]
    if other and not created:
        events.append(item_event(item, EventKind.UPDATED, actor=actor, data={"changed": other}))
    if events:
        record_events(events)
    return item
