"""What a thread points at: its place as GeoJSON for the page's map, and the linked map items."""

import json

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from forum.models import Thread
from layers.registry import get_layer


def geojson(thread: Thread):
    if thread.geom is None or thread.place_kind == Thread.Place.DISTRICT:
        return None  # a district is named, not drawn: its outline would hide the streets
    return json.loads(thread.geom.json)


def linked_items(thread: Thread) -> list[dict]:
    """The public items the thread links, in the order linked: {layer, item, url, title}."""
    links = list(thread.item_links.all())
    found = {}
    for slug in {link.layer for link in links}:
        layer = get_layer(slug)
        if layer is None:
            continue
        public = RawSQL(layer.public_sql, [], output_field=BooleanField())
        ids = [link.item_id for link in links if link.layer == slug]
        for item in layer.model.objects.filter(public, pk__in=ids):
            found[(slug, item.pk)] = (layer, item)
    items = []
    for link in links:
        if (link.layer, link.item_id) in found:
            layer, item = found[(link.layer, link.item_id)]
            items.append({"layer": layer, "item": item, "url": item.get_absolute_url(), "title": str(item)})
    return items
