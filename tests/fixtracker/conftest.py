import io

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

LAMP = Point(44.7560, 41.7105, srid=4326)  # Chavchavadze Avenue, Vake


def jpeg_bytes(size=(64, 48), gps=None, comment=b"", color=(200, 120, 40)) -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: must never reach the public copy
    if gps:
        lat, lon = gps

        def dms(value):
            d = int(value)
            m = int((value - d) * 60)
            return (float(d), float(m), round(((value - d) * 60 - m) * 60, 2))

        exif[0x8825] = {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=comment or b"")
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def lamp_out(db):
    return Category.objects.get(slug="lamp-out")


@pytest.fixture
def tbilservice_staff(db):
    return MembershipFactory(
        user=UserFactory(email="giorgi@tbilservice.ge", verified=True), department=DepartmentFactory(slug="tbilservice")
    ).user


@pytest.fixture
def tbilservice_head(db):
    return MembershipFactory(
        user=UserFactory(email="head@tbilservice.ge", verified=True),
        department=DepartmentFactory(slug="tbilservice"),
        role="head",
    ).user


@pytest.fixture
def environment_staff(db):
    return MembershipFactory(
        user=UserFactory(email="eka@environment.ge", verified=True), department=DepartmentFactory(slug="environment")
    ).user


@pytest.fixture
def submit(db, lamp_out):
    """submit(confirmed=True, **fields) -> a report of a dead streetlight in Vake."""

    def make(confirmed=True, user=None, photos=(), **fields):
        new = NewReport(
            category=fields.pop("category", lamp_out),
            point=fields.pop("point", LAMP),
            description=fields.pop("description", "ნათურა არ ანათებს ორი დღეა"),
            email=fields.pop("email", "nino@example.ge"),
            photos=list(photos),
            **fields,
        )
        report, _created = do_submit_report(new, user=user, ip="10.1.2.3", confirmed=confirmed)
        return report

    return make


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English here; Georgian rendering is tested on the pages."""
    from django.utils import translation

    with translation.override("en"):
        yield
