"""What the layers API says about a layer and about one item.

An item's properties are an allow-list per layer, never "every field": a column added to a model
later (say, something about an applicant) stays private until someone decides to publish it here.
A layer missing from PUBLIC_FIELDS publishes only the fields every map item shares.
"""

import json
from decimal import Decimal

from django.db.models.fields.files import FieldFile
from django.utils import timezone

from layers.tiles import AGGREGATE_BELOW_ZOOM

COMMON_FIELDS = ("reference", "title", "description", "address", "documents", "is_demo", "source", "updated_at")
PUBLIC_FIELDS = {
    "construction-permits": (
        "cadastral_codes",
        "construction_class",
        "purpose",
        "floors",
        "height_m",
        "k1",
        "k2",
        "k3",
        "applicant_org",  # organisations only: a private applicant's name is never stored
        "consultation_start",
        "consultation_end",
        "consultation_info",
    ),
    "tree-permits": (
        "kind",
        "tree_count",
        "trees",
        "reason",
        "compensation_trees",
        "compensation_fee_gel",
        "compensation_place",
        "compensation_due",
        "compensation_planted",
        "compensation_photo",
    ),
    "projects": (
        "slug",
        "agency",
        "contractor",
        "budget_gel",
        "funding_source",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "progress",
        "body",
    ),
}


def layer_summary(layer, counts: dict[str, int]) -> dict:
    base = f"/api/v1/layers/{layer.slug}"
    return {
        "slug": layer.slug,
        "name": str(layer.name),
        "topic": layer.topic,
        "color": layer.color,
        "count": sum(counts.values()),
        "statuses": [
            {
                "code": code,
                "label": str(label),
                "color": layer.status_colors.get(code, layer.color),
                "count": counts.get(code, 0),
            }
            for code, label in layer.statuses()
        ],
        "features_url": f"{base}/features/",
        "count_url": f"{base}/count/",
        "tiles_url": base + "/tiles/{z}/{x}/{y}.mvt",
        "aggregate_below_zoom": AGGREGATE_BELOW_ZOOM,
    }


def item_feature(layer, item, timeline) -> dict:
    # Only register items (RegisterItem) can lack a status date or carry the source's own word;
    # reports and forum threads always date their own statuses.
    date_known = getattr(item, "status_date_known", True)
    properties = {
        "id": item.pk,
        "layer": layer.slug,
        "status": item.status,
        "status_label": layer.status_label(item.status),
        # null when the source never dated the current status (status_date "unknown").
        "status_since": item.status_since if date_known else None,
        "status_date": "source" if date_known else "unknown",
        "source_status": getattr(item, "source_status", ""),
        "district": item.district.name if item.district_id else None,
        "url": item.get_absolute_url(),
    }
    for name in COMMON_FIELDS + PUBLIC_FIELDS.get(layer.slug, ()):
        properties[name] = _public_value(item, name)
    properties.update(_extras(layer, item))
    properties["timeline"] = [_event(layer, event) for event in timeline]
    return {"type": "Feature", "id": item.pk, "geometry": json.loads(item.geojson), "properties": properties}


def _public_value(item, name):
    field = item._meta.get_field(name)
    value = getattr(item, name)
    if field.choices and value:
        return {"code": value, "label": str(dict(field.choices).get(value, value))}
    # Files: their public URL, or nothing. Not hasattr(value, "url"): an empty file's url raises.
    if isinstance(value, FieldFile):
        return value.url if value else None
    if isinstance(value, Decimal):
        return str(value)
    return value


def _extras(layer, item) -> dict:
    extras = {}
    if hasattr(item, "consultation_days_left"):
        today = timezone.localdate()
        extras["consultation_days_left"] = item.consultation_days_left(today)
        extras["consultation_open"] = extras["consultation_days_left"] is not None
    if layer.slug == "projects":
        extras["milestones"] = [{"title": m.title, "due": m.due, "done_on": m.done_on} for m in item.milestones.all()]
        extras["photos"] = [
            {"url": p.image.url, "caption": p.caption, "taken_on": p.taken_on} for p in item.photos.all()
        ]
    return extras


def _event(layer, event) -> dict:
    return {
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "old_status": event.old_status,
        "new_status": event.new_status,
        "status_label": layer.status_label(event.new_status) if event.new_status else "",
        # null with date_basis "unknown": a stage the source listed without a date; "seen" means
        # the source gave no date and occurred_at is when an import first saw the change.
        "occurred_at": event.occurred_at,
        "date_basis": event.date_basis,
    }
