"""Before saving: about how many notifications a month would this have brought over the last year?"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from subscriptions.topics import FOLLOW_KINDS, kinds_for


def estimate(area, topics: list[str], groups: list[str]) -> dict:
    since = timezone.now() - timedelta(days=365)
    where = ["e.recorded_at >= %(since)s", "e.kind = ANY(%(kinds)s)"]
    params = {"since": since, "kinds": FOLLOW_KINDS if area.kind == "item" else kinds_for(groups)}
    if area.kind != "item":
        # Measured on what happened at the source last year, the way a subscriber would have seen it.
        where = [
            "e.occurred_at >= %(since)s",
            "e.kind = ANY(%(kinds)s)",
            "ARRAY[e.topic, split_part(e.topic, ':', 1)]::varchar[] && %(topics)s::varchar[]",
        ]
        params["topics"] = list(topics)
    if area.kind in ("polygon", "circle"):
        where.append("ST_Intersects(e.geom, ST_GeomFromEWKB(%(geom)s))")
        params["geom"] = bytes(area.geom.ewkb)
    elif area.kind == "district":
        where.append("e.district_id = %(district)s")
        params["district"] = area.district.pk
    elif area.kind == "item":
        where.append("e.layer = %(layer)s AND e.item_id = %(item)s")
        params.update(layer=area.item_layer, item=area.item_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM layers_event e WHERE {' AND '.join(where)}", params)
        total = cursor.fetchone()[0]
    return {"last_year": total, "per_month": round(total / 12, 1)}
