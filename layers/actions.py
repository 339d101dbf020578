"""Workflows on layer items that touch more than one model.

Staff edits (admin or staff pages) go through save_item(): it files the item under its district,
derives its representative point, and records the matching event in the same transaction, so a
hand-made change reaches the timeline and the subscribers exactly like an imported one.
"""

from django.db import transaction
from django.utils import timezone

from layers.events import record_event
from layers.models import EventKind
from layers.registry import get_layer
from places.models import District


def _place(item):
    # ST_PointOnSurface semantics: a point guaranteed on the line or inside the area.
    item.point = item.geom if item.geom.geom_type == "Point" else item.geom.point_on_surface
    district = District.objects.for_point(item.point)
    item.district_id = district.pk if district else None


@transaction.atomic
def do_save_item(item, *, actor, changed: list[str], old_status: str | None):
    """Save a staff-edited item and record what happened to it."""
    layer = get_layer(item.LAYER)
    created = item.pk is None
    if created or "geom" in changed:
        _place(item)
    if created or (old_status is not None and old_status != item.status):
        item.status_since = timezone.now()
    item.save()
    common = dict(
        layer=layer.slug,
        item_id=item.pk,
        topic=layer.topic,
        geom=item.point,
        item_ref=item.reference,
        title=item.title,
        url=item.public_path(),
        district_id=item.district_id,
        actor=actor,
        is_demo=item.is_demo,
    )
    if created:
        record_event(kind=EventKind.CREATED, new_status=item.status, **common)
        return item
    if old_status is not None and old_status != item.status:
        kind = EventKind.CONSULTATION_OPENED if item.status == "public_consultation" else EventKind.STATUS_CHANGED
        record_event(kind=kind, old_status=old_status, new_status=item.status, **common)
    other = [name for name in changed if name not in ("status", "status_since")]
    if other:
        record_event(kind=EventKind.UPDATED, new_status=item.status, data={"changed": other}, **common)
    return item
