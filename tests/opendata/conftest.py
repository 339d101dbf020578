"""A small city for the open data: permits, tree permits, projects, a placed forum thread and reports,
among them a sentinel reporter (a name not chosen to be shown, an email, an internal note, a photo),
a hidden report and an unconfirmed one, and a private applicant from the register sample."""

import csv
import io
import json

import pytest
from django.utils import timezone

from fixtracker.models import ReportUpdate
from layers.demo import load_demo
from tests.fixtracker.conftest import jpeg_bytes, lamp_out, submit, upload  # noqa: F401, F811
from tests.forum.conftest import established, placed, start_thread

SENTINELS = ("Sentinel-Reporter-Name", "sentinel-reporter@example.ge", "Sentinel internal note", "ბერიძე")
FORMATS = ("csv", "geojson", "gpkg")


@pytest.fixture
def city(db, submit):  # noqa: F811
    load_demo("construction-permits", 12, seed=3)
    load_demo("tree-permits", 10, seed=4)
    load_demo("projects", 5, seed=5)
    start_thread(established(email="tamar@example.ge", display_name="Tamar"), place=placed())
    shown = submit(name="Nino Shown", show_name=True, email="nino@example.ge")
    anonymous = submit(
        name=SENTINELS[0], show_name=False, email=SENTINELS[1], photos=[(upload(jpeg_bytes()), "image/jpeg", None)]
    )
    ReportUpdate.objects.create(report=anonymous, kind="note", internal=True, public_text=SENTINELS[2])
    hidden = submit(description="hidden report text")
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    unconfirmed = submit(confirmed=False, description="unconfirmed report text")
    return {"shown": shown, "anonymous": anonymous, "hidden": hidden, "unconfirmed": unconfirmed}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def read_geojson(response) -> dict:
    return json.loads(body(response))


def read_gpkg(response, tmp_path):
    import pyogrio

    path = tmp_path / "export.gpkg"
    path.write_bytes(body(response))
    return pyogrio.read_dataframe(path)
