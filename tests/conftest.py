"""Shared fixtures: the real Tbilisi data in the test database, personas, and the browser.

Tests run against the real PostGIS and Redis that `make test` starts (bin/services); nothing here
mocks the database, Redis or Celery.
"""

import os
import re

import pytest
from django.core.management import call_command

from places import importing
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

# Playwright's sync API keeps an event loop in the test thread; Django's ORM refuses to run beside
# one unless told that this thread is really synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"
OSM = importing.BoundarySource("tbilisi_10_districts_osm_wgs84.geojson", "© OpenStreetMap contributors", "ODbL-1.0")


@pytest.fixture(scope="session")
def tbilisi_geometries(django_test_environment):
    """The shared data read once per session: (district rows, city outline)."""
    from django.conf import settings

    data = settings.SHARED_DATA_DIR / "tbilisi"
    # The project's default districts: OpenStreetMap's, filled out to the city outline.
    city = importing.read_city(data / "tbilisi_city_boundary_geostat_wgs84.geojson")
    rows, _filled = importing.fill_gaps(importing.read_districts(data / "tbilisi_10_districts_osm_wgs84.geojson"), city)
    subdistricts = importing.read_subdistricts(data / "tbilisi_25_majoritarian_districts_2017_wgs84.geojson")
    return rows, city, subdistricts


def load_tbilisi(geometries):
    """Put districts, city outline and departments in the database unless already there."""
    from accounts.departments import ensure_city_departments
    from fixtracker.standard_categories import ensure_categories
    from forum.sections import ensure_sections
    from places.models import CityBoundary, District, SubDistrict

    rows, city, subdistricts = geometries
    if District.objects.count() != len(rows):
        importing.save_districts(rows, OSM)
    if not CityBoundary.objects.exists():
        importing.save_city(city)
    if SubDistrict.objects.count() != len(subdistricts):
        importing.save_subdistricts(subdistricts)
    ensure_city_departments()
    ensure_categories()
    ensure_sections()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tbilisi_geometries):
    with django_db_blocker.unblock():
        load_tbilisi(tbilisi_geometries)


@pytest.fixture
def tbilisi(transactional_db, tbilisi_geometries):
    """For transactional tests (live server, worker processes): flushes wipe the reference data."""
    load_tbilisi(tbilisi_geometries)


MTAVRULI = re.compile("[\u1c90-\u1cbf]+")


@pytest.fixture(autouse=True)
def no_mtavruli_in_emails():
    """Every email a test builds, in any language: no Georgian capitals (see smartmap/capfirst.py)."""
    yield
    from django.core import mail

    for message in getattr(mail, "outbox", []):
        texts = [
            message.subject,
            message.body,
            *(alternative[0] for alternative in getattr(message, "alternatives", [])),
        ]
        for text in texts:
            match = MTAVRULI.search(str(text))
            assert match is None, (
                f"Mtavruli in the email “{message.subject}”: …{text[max(0, match.start() - 60) : match.end() + 30]}…"
            )


@pytest.fixture
def resident(db):
    return UserFactory(email="nino@example.ge", display_name="Nino", verified=True)


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.ge", display_name="Giorgi", verified=True)


@pytest.fixture
def department(db):
    return DepartmentFactory(slug="tbilservice")


@pytest.fixture
def staff(department):
    return MembershipFactory(user=UserFactory(email="staff@tbilservice.ge", verified=True), department=department).user


@pytest.fixture
def head(department):
    return MembershipFactory(
        user=UserFactory(email="head@tbilservice.ge", verified=True), department=department, role="head"
    ).user


@pytest.fixture
def moderator(db):
    return UserFactory(email="moderator@smartmap.ge", is_moderator=True, verified=True)


@pytest.fixture
def admin_user(db):
    user = UserFactory(email="admin@smartmap.ge", is_staff=True, is_superuser=True, verified=True)
    return user


@pytest.fixture
def call(db):
    """call("command", *args) -> (stdout) with the command's output captured."""
    import io

    def run(*args, **kwargs):
        out = io.StringIO()
        call_command(*args, stdout=out, stderr=out, **kwargs)
        return out.getvalue()

    return run


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on the test broker and the test database."""
    import subprocess
    import time
    import uuid

    from django.conf import settings
    from django.db import connection

    from smartmap.celery import app

    db = settings.DATABASES["default"]
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        REDIS_URL=settings.REDIS_URL,
    )
    # Tasks left by an earlier, interrupted run of this same queue name are discarded.
    app.control.purge()
    log = open(settings.VAR_DIR / "test-celery-worker.log", "w")
    proc = subprocess.Popen(
        [
            str(settings.BASE_DIR / ".venv/bin/celery"),
            "-A",
            "smartmap",
            "worker",
            "-n",
            name,
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(name in reply for reply in app.control.ping(timeout=0.5)):
            break
        assert proc.poll() is None, "the Celery worker died at start; see var/test-celery-worker.log"
    else:
        proc.kill()
        raise RuntimeError("the Celery worker did not answer within 60 s")
    yield proc
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def pytest_sessionstart(session):
    """Drop test databases of earlier pytest processes that were killed before cleaning up.

    Each process makes test_smartmap_<pid>; a database whose process no longer exists is left
    over (a Ctrl-C, a CI timeout) and would pile up on a developer's machine.
    """
    import re

    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    try:
        with psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or None,
            user=db["USER"],
            password=db["PASSWORD"],
            dbname="postgres",
            autocommit=True,
            connect_timeout=3,
        ) as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'test_smartmap_%'")]
            for name in names:
                match = re.fullmatch(r"test_smartmap_(\d+)", name)
                if match and not os.path.exists(f"/proc/{match.group(1)}"):
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass  # no server yet: pytest-django will say so clearly
