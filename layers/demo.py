"""Demo content for the map, generated at any size and imported through the real import core.

Everything it makes is marked is_demo and comes from the source "demo", so it has timelines and
events like real data and can be told apart (and removed) at any time. Points are denser in the
centre, as a city is: most fall in a few dense clusters around the old town and Vake-Saburtalo,
the rest anywhere inside the city outline. The same seed makes the same data, so re-running is a
no-op through the importer's idempotence.
"""

import random
from datetime import timedelta

import numpy as np
import shapely
from django.utils import timezone

from layers.importing import Mapping, import_rows
from layers.importing.readers import Row
from layers.registry import get_layer
from places.index import DistrictIndex

DEMO_SOURCE = "demo"
# (lon, lat, spread in degrees, weight): the old town, Vake-Saburtalo, Didube-Gldani, Isani-Samgori.
CENTRES = [
    (44.800, 41.695, 0.012, 0.35),
    (44.755, 41.720, 0.015, 0.30),
    (44.790, 41.760, 0.020, 0.15),
    (44.850, 41.690, 0.018, 0.20),
]
STREETS = [
    ("რუსთაველის გამზ.", "Rustaveli Ave"),
    ("ჭავჭავაძის გამზ.", "Chavchavadze Ave"),
    ("ვაჟა-ფშაველას გამზ.", "Vazha-Pshavela Ave"),
    ("პეკინის გამზ.", "Pekini Ave"),
    ("აღმაშენებლის გამზ.", "Aghmashenebeli Ave"),
    ("წერეთლის გამზ.", "Tsereteli Ave"),
    ("ყაზბეგის გამზ.", "Kazbegi Ave"),
    ("კოსტავას ქ.", "Kostava St"),
    ("ქეთევან წამებულის გამზ.", "Ketevan Tsamebuli Ave"),
    ("გურამიშვილის გამზ.", "Guramishvili Ave"),
    ("ბელიაშვილის ქ.", "Beliashvili St"),
    ("ფალიაშვილის ქ.", "Paliashvili St"),
]
PURPOSES = ["საცხოვრებელი სახლი", "ოფისი", "სასტუმრო", "მრავალფუნქციური კომპლექსი", "სკოლა", "ავტოსადგომი"]
PERMIT_PATHS = [
    ["application_filed"],
    ["application_filed", "under_review"],
    ["application_filed", "under_review", "public_consultation"],
    ["application_filed", "under_review", "public_consultation", "issued"],
    ["application_filed", "under_review", "refused"],
    ["application_filed", "under_review", "public_consultation", "issued", "construction_started"],
    ["application_filed", "under_review", "issued", "construction_started", "suspended"],
    ["application_filed", "under_review", "public_consultation", "issued", "construction_started", "completed"],
]
TREE_PATHS = [
    ["application"],
    ["application", "inspection"],
    ["application", "inspection", "issued"],
    ["application", "inspection", "refused"],
    ["application", "inspection", "issued", "carried_out"],
    ["application", "inspection", "issued", "carried_out", "compensation_planted"],
]
PROJECT_PATHS = [
    ["planned"],
    ["planned", "tendering"],
    ["planned", "tendering", "in_progress"],
    ["planned", "tendering", "in_progress", "suspended"],
    ["planned", "tendering", "in_progress", "completed"],
]


def city_points(n: int, rng: np.random.Generator, index: DistrictIndex) -> list:
    """n points inside the city, clustered around its busy centres."""
    points: list = []
    weights = np.array([c[3] for c in CENTRES])
    while len(points) < n:
        batch = max(1000, int((n - len(points)) * 1.3))
        which = rng.choice(len(CENTRES), size=batch, p=weights / weights.sum())
        centre = np.array([CENTRES[i][:2] for i in which])
        spread = np.array([CENTRES[i][2] for i in which])[:, None]
        xy = centre + rng.normal(size=(batch, 2)) * spread
        uniform = rng.random(batch) < 0.25  # a quarter anywhere in the city
        minx, miny, maxx, maxy = index.city.bounds
        xy[uniform] = np.column_stack([rng.uniform(minx, maxx, uniform.sum()), rng.uniform(miny, maxy, uniform.sum())])
        candidates = shapely.points(xy)
        points.extend(candidates[index.inside_city(candidates)].tolist())
    return points[:n]


def _stages(rng: random.Random, path: list[str], now, years: float):
    start = now - timedelta(days=rng.uniform(0, 365 * years))
    stages, at = [], start
    for status in path:
        if at > now:
            break
        stages.append((status, at))
        at = at + timedelta(days=rng.randint(5, 90))
    return stages


def _rows(layer: str, n: int, seed: int, years: float) -> list[Row]:
    rng, nprng = random.Random(seed), np.random.default_rng(seed)
    index = DistrictIndex()
    now = timezone.now()
    make = {"construction-permits": _permit, "tree-permits": _tree, "projects": _project}[layer]
    points = city_points(n, nprng, index)
    rows = []
    for i, point in enumerate(points):
        values, geom, path = make(i, rng, point)
        for status, at in _stages(rng, path, now, years):
            rows.append(Row(len(rows) + 1, {**values, "status": status, "status_date": at}, geom))
    return rows


def _address(rng):
    street = rng.choice(STREETS)[0]
    return f"{street} {rng.randint(1, 180)}"


def _permit(i, rng, point):
    purpose = rng.choice(PURPOSES)
    return (
        {
            "id": f"DEMO-P-{i:07d}",
            "reference": f"DEMO-P-{i:07d}",
            "title": purpose,
            "purpose": purpose,
            "address": _address(rng),
            "construction_class": rng.choice([2, 3, 3, 4, 5]),
            "floors": rng.randint(2, 24),
            "applicant_org": f"შპს დემო დეველოპმენტი {rng.randint(1, 400)}",
            "cadastral_codes": _cadastral(rng),
        },
        point,
        rng.choice(PERMIT_PATHS),
    )


def _cadastral(rng) -> str:
    return f"01.{rng.randint(10, 19)}.{rng.randint(10, 99):02d}.{rng.randint(1, 999):03d}.{rng.randint(1, 99):03d}"


def _tree(i, rng, point):
    return (
        {
            "id": f"DEMO-T-{i:06d}",
            "reference": f"DEMO-T-{i:06d}",
            "address": _address(rng),
            "kind": rng.choice(["felling", "felling", "transplanting"]),
            "tree_count": rng.randint(1, 12),
            "reason": rng.choice(["construction", "sanitary", "hazard", "infrastructure"]),
        },
        point,
        rng.choice(TREE_PATHS),
    )


def _project(i, rng, point):
    street, street_en = rng.choice(STREETS)
    if rng.random() < 0.5:  # a road or pipe: a line along a few hundred metres
        coords = [(point.x + k * 0.002, point.y + rng.uniform(-0.0005, 0.0005)) for k in range(4)]
        geom = shapely.LineString(coords)
        title = f"{street} — რეაბილიტაცია"
    else:
        geom = point.buffer(0.001, quad_segs=4)
        title = f"სკვერის კეთილმოწყობა, {street}"
    return (
        {
            "id": f"DEMO-IP-{i:05d}",
            "reference": f"DEMO-IP-{i:05d}",
            "title": title,
            "address": street,
            "agency": "ტრანსპორტისა და ურბანული განვითარების სააგენტო",
            "progress": rng.choice([0, 10, 35, 60, 90, 100]),
            "budget_gel": rng.randint(50, 20000) * 1000,
        },
        geom,
        rng.choice(PROJECT_PATHS),
    )


def demo_mapping(layer: str) -> Mapping:
    spec = get_layer(layer)
    fields = [name for name in _FIELDS[layer]]
    return Mapping.from_dict(
        {
            "layer": layer,
            "source": DEMO_SOURCE,
            "id": "id",
            "demo": True,
            "duplicates": "history",
            "fields": {name: name for name in fields},
            "status": {
                "column": "status",
                "date": "status_date",
                "values": {code: code for code, _ in spec.statuses()},
            },
        }
    )


_FIELDS = {
    "construction-permits": [
        "reference",
        "title",
        "purpose",
        "address",
        "construction_class",
        "floors",
        "applicant_org",
        "cadastral_codes",
    ],
    "tree-permits": ["reference", "address", "kind", "tree_count", "reason"],
    "projects": ["reference", "title", "address", "agency", "progress", "budget_gel"],
}


def load_demo(layer: str, n: int, *, seed: int = 1, years: float = 2.0, commit: bool = True):
    """Generate n demo items of a layer (with up to `years` of history) and import them."""
    rows = _rows(layer, n, seed, years)
    header = ["id", "status", "status_date", *_FIELDS[layer]]
    return import_rows(
        demo_mapping(layer), header, rows, file_name=f"demo:{layer}:{n}:{seed}", commit=commit, via="demo"
    )
