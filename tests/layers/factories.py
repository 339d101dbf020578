"""Layer items for tests: real places in Tbilisi, filed under their district."""

import itertools

from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.models import ConstructionPermit
from places.models import District

VAKE = Point(44.7560, 41.7105, srid=4326)  # Chavchavadze Avenue 64
_numbers = itertools.count(1)


def permit(*, point=VAKE, status="application_filed", **fields) -> ConstructionPermit:
    n = next(_numbers)
    district = District.objects.for_point(point)
    values = dict(
        reference=f"N-TEST-{n}",
        title="საცხოვრებელი სახლი",
        status=status,
        status_since=timezone.now(),
        geom=point,
        point=point,
        district_id=district.pk if district else None,
        source="test",
        external_id=f"T-{n}",
    )
    values.update(fields)
    return ConstructionPermit.objects.create(**values)
