"""Items for statistics tests, made in bulk (one INSERT: the grid triggers see one statement)."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.utils import timezone

from accounts.models import Department
from fixtracker.models import Category, Report
from layers.models import ConstructionPermit, TreePermit
from places.models import District

TBILISI = ZoneInfo("Asia/Tbilisi")
# A 2 x 2 km square in Vake-Saburtalo: small enough that areas drawn in it cross cells at every level.
BOX = (44.735, 41.705, 44.759, 41.723)
SPECIES = ["Platanus orientalis", "Pinus nigra", "Robinia pseudoacacia"]


def random_point(rng: random.Random, box=BOX) -> Point:
    west, south, east, north = box
    return Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326)


def random_moment(rng: random.Random, start=datetime(2023, 11, 1), days=800) -> datetime:
    return (start + timedelta(days=rng.uniform(0, days))).replace(tzinfo=TBILISI)


def tree_permits(rng: random.Random, count: int, **fixed) -> list[TreePermit]:
    districts = list(District.objects.values_list("pk", flat=True)[:3]) + [None]
    items = []
    for n in range(count):
        point = fixed.get("point") or random_point(rng)
        trees = [
            {"species": rng.choice(SPECIES), "diameter_cm": rng.choice([12, 25, 45, 70, 95])}
            for _ in range(rng.randint(0, 3))
        ]
        values = dict(
            reference=f"TP-{rng.random():.8f}-{n}",
            title="tree permit",
            status=rng.choice(TreePermit.Status.values),
            status_since=random_moment(rng),
            geom=point,
            point=point,
            district_id=rng.choice(districts),
            source="test",
            external_id=f"tp-{rng.random():.12f}-{n}",
            kind=rng.choice(TreePermit.Kind.values),
            reason=rng.choice([*TreePermit.Reason.values, ""]),
            trees=trees,
            tree_count=max(1, len(trees)),
            withdrawn_at=timezone.now() if rng.random() < 0.1 else None,
            status_date_known=rng.random() > 0.1,
        )
        values.update({k: v for k, v in fixed.items() if k != "point"})
        items.append(TreePermit(**values))
    return TreePermit.objects.bulk_create(items)


def construction_permits(rng: random.Random, count: int) -> list[ConstructionPermit]:
    items = []
    for n in range(count):
        point = random_point(rng)
        items.append(
            ConstructionPermit(
                reference=f"CP-{n}",
                title="permit",
                status=rng.choice(ConstructionPermit.Status.values),
                status_since=random_moment(rng),
                geom=point,
                point=point,
                source="test",
                external_id=f"cp-{n}",
                construction_class=rng.choice([None, 1, 2, 3, 4, 5]),
            )
        )
    return ConstructionPermit.objects.bulk_create(items)


def reports(rng: random.Random, count: int) -> list[Report]:
    categories = list(Category.objects.all()[:4])
    departments = list(Department.objects.all()[:3])
    items = []
    for n in range(count):
        point = random_point(rng)
        category = rng.choice(categories)
        items.append(
            Report(
                reference=f"R-{n}",
                title="report",
                status=rng.choice(Report.Status.values[1:]),
                status_since=random_moment(rng),
                geom=point,
                point=point,
                source="test",
                external_id=f"r-{n}",
                category=category,
                department=rng.choice(departments) if rng.random() < 0.3 else category.department,
                confirmed_at=None if rng.random() < 0.1 else timezone.now(),
                reporter_email="sentinel@example.ge",
            )
        )
    return Report.objects.bulk_create(items)


def point_in(district) -> Point:
    from tests.factories import point_in_tbilisi

    return point_in_tbilisi(random.Random(), district)


def report(
    category, when, *, acknowledged_after=None, finished_after=None, response_hours=24, resolution_hours=240, **fields
) -> Report:
    """One public report confirmed at `when`, acknowledged / finished the given timedeltas later."""
    point = fields.pop("point", None) or Point(44.7560, 41.7105, srid=4326)
    finished = when + finished_after if finished_after is not None else None
    values = dict(
        reference=f"TB-{random.randint(10**6, 10**7 - 1)}",
        title="report",
        status="resolved" if finished else "acknowledged",
        status_since=finished or when,
        geom=point,
        point=point,
        source="test",
        external_id=f"r-{random.random():.12f}",
        category=category,
        department=category.department,
        confirmed_at=when,
        reporter_email="sentinel@example.ge",
        response_due_at=when + timedelta(hours=response_hours),
        resolution_due_at=when + timedelta(hours=resolution_hours),
        acknowledged_at=when + acknowledged_after if acknowledged_after is not None else None,
        resolved_at=finished,
    )
    values.update(fields)
    return Report.objects.create(**values)
