from datetime import timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Point
from django.db import transaction
from django.utils import timezone

from layers.events import record_event
from smartmap.lib.geometry import parse_area
from subscriptions.actions import AreaChoice, _store_parts
from subscriptions.areas import circle
from subscriptions.models import Subscription
from subscriptions.topics import kinds_for

# A block in Vake around Chavchavadze Avenue 64.
VAKE_BLOCK = {
    "type": "Polygon",
    "coordinates": [
        [[44.7540, 41.7095], [44.7580, 41.7095], [44.7580, 41.7115], [44.7540, 41.7115], [44.7540, 41.7095]]
    ],
}
INSIDE = Point(44.7560, 41.7105, srid=4326)
OUTSIDE = Point(44.8015, 41.6934, srid=4326)  # Freedom Square, other side of town


def make_subscription(
    kind="polygon",
    *,
    topics=("construction",),
    groups=("new", "status"),
    confirmed=True,
    frequency="instant",
    user=None,
    email="nino@example.ge",
    **area,
):
    if kind == "polygon":
        # Only the shape is checked: a stored subscription may be any size (the API's limit is tested there).
        geom = parse_area(area.pop("geojson", VAKE_BLOCK))
        choice = AreaChoice(kind="polygon", geom=MultiPolygon(geom) if geom.geom_type == "Polygon" else geom)
    elif kind == "circle":
        center, geom = circle(area["lon"], area["lat"], area["radius_m"])
        choice = AreaChoice(kind="circle", geom=geom, center=center, radius_m=area["radius_m"])
    else:
        choice = AreaChoice(kind=kind, **area)
    subscription = Subscription.objects.create(
        email=email,
        user=user,
        area_kind=choice.kind,
        geom=choice.geom,
        center=choice.center,
        radius_m=choice.radius_m,
        district=choice.district,
        item_layer=choice.item_layer,
        item_id=choice.item_id,
        topics=list(topics),
        event_groups=list(groups),
        kinds=kinds_for(list(groups)),
        frequency=frequency,
        confirmed_at=timezone.now() - timedelta(seconds=1) if confirmed else None,
    )
    _store_parts(subscription)
    return subscription


def happen(
    point=INSIDE,
    *,
    kind="created",
    topic="construction",
    layer="construction-permits",
    item_id=1,
    occurred_days_ago=0,
    actor=None,
    **extra,
):
    with transaction.atomic():
        return record_event(
            layer=layer,
            item_id=item_id,
            kind=kind,
            topic=topic,
            geom=point,
            title="ახალი სახლი",
            item_ref="N-1",
            url=f"/layers/{layer}/{item_id}/",
            occurred_at=timezone.now() - timedelta(days=occurred_days_ago),
            actor=actor,
            new_status="issued",
            **extra,
        )


@pytest.fixture
def subscription(db):
    return make_subscription()
