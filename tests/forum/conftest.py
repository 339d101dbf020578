"""Forum personas and helpers: established residents (older than the new-account limits), a thread."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from forum import actions
from forum.input import Place, ThreadInput
from forum.models import Section
from tests.factories import UserFactory

VAKE = Point(44.7560, 41.7105, srid=4326)
FREEDOM_SQUARE = Point(44.8015, 41.6934, srid=4326)


def established(**kwargs):
    """A resident whose account is old enough for the ordinary limits."""
    user = UserFactory(verified=True, **kwargs)
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def author(db):
    return established(email="tamar@example.ge", display_name="Tamar")


@pytest.fixture
def replier(db):
    return established(email="levan@example.ge", display_name="Levan")


@pytest.fixture
def section(db):
    return Section.objects.get(slug="trees")


def start_thread(
    author,
    *,
    title="Plane trees on Chavchavadze Avenue",
    body="They are to be cut. Why?",
    section=None,
    place=None,
    items=(),
    related=(),
    department=None,
):
    section = section or Section.objects.get(slug="trees")
    data = ThreadInput(
        section=section, title=title, body=body, place=place or Place(), items=list(items), related=list(related)
    )
    return actions.do_create_thread(data, author=author, department=department, ip="10.0.0.1")


def placed(point=VAKE):
    from places.models import District

    return Place("point", point, District.objects.for_point(point))


@pytest.fixture
def thread(author):
    return start_thread(author, place=placed())


def make_permit(reference="N-2025-001", point=VAKE):
    from datetime import UTC, datetime

    from layers.models import ConstructionPermit

    return ConstructionPermit.objects.create(
        reference=reference,
        title="საცხოვრებელი სახლი",
        address="ჭავჭავაძის გამზ. 64",
        status="issued",
        status_since=datetime(2025, 3, 1, tzinfo=UTC),
        geom=point,
        point=point,
        external_id=reference,
    )


@pytest.fixture(autouse=True)
def english():
    """Pages and messages are asserted in English (reverse() gives /en/…); Georgian has its own tests."""
    from django.utils import translation

    with translation.override("en"):
        yield
