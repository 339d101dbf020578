"""Factories for tests, and points that really lie inside Tbilisi."""

import random

import factory
import shapely
from django.contrib.gis.geos import Point

from accounts.models import Department, Membership, User
from places.models import CityBoundary, District


def point_in_tbilisi(rng: random.Random | None = None, district: District | None = None) -> Point:
    """A random point inside the city (and inside ``district`` when given), in EPSG:4326."""
    rng = rng or random.Random()
    area = district.geom if district is not None else (CityBoundary.objects.first() or District.objects.first()).geom
    shape = shapely.from_wkb(bytes(area.wkb))
    minx, miny, maxx, maxy = shape.bounds
    prepared = shapely.prepared.prep(shape)
    for _ in range(10_000):
        candidate = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if prepared.contains(candidate):
            return Point(candidate.x, candidate.y, srid=4326)
    raise RuntimeError("no point found inside the area")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"resident{n}@example.ge")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """UserFactory(verified=True) also records a verified primary email for allauth."""
        self.save()
        if create and extracted:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"department-{n}")
    name_ka = factory.Sequence(lambda n: f"სამსახური {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Membership.Role.STAFF
