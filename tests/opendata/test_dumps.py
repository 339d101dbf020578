"""The nightly dumps: written whole or not at all, with a manifest whose checksums and counts are right,
the oldest pruned; the beat schedules them; the catalogue lists every dataset as valid JSON-LD."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from opendata import actions, export
from opendata.dictionary import datasets
from tests.opendata.conftest import SENTINELS

T0 = datetime(2026, 12, 1, 23, 15, tzinfo=UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_dump_has_every_dataset_in_every_format_with_a_true_manifest(city, media):
    manifest = actions.do_write_dumps(now=T0)
    run = media / "opendata" / "2026-12-01T231500Z"
    assert json.loads((run / "manifest.json").read_text()) == manifest
    assert {(f["dataset"], f["format"]) for f in manifest["files"]} == {
        (d, fmt) for d in datasets() for fmt in export.FORMATS
    }
    for entry in manifest["files"]:
        data = (run / entry["file"]).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert not any(s.encode() in data for s in SENTINELS)
    reports_csv = (run / "reports.csv").read_text().splitlines()
    assert next(f for f in manifest["files"] if f["file"] == "reports.csv")["records"] == len(reports_csv) - 1 > 0
    assert manifest["date"] == T0.isoformat() and manifest["licence"]["name"] == "CC BY 4.0"


def test_a_run_that_dies_leaves_nothing_visible_and_the_next_cleans_up(city, media, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "write_gpkg", broken)
    with pytest.raises(RuntimeError):
        actions.do_write_dumps(now=T0)
    assert actions.runs() == [] and actions.list_dumps() == []
    assert list((media / "opendata").glob(".*.tmp"))  # only the hidden work directory
    monkeypatch.undo()
    actions.do_write_dumps(now=T0 + timedelta(days=1))
    assert [p.name for p in actions.runs()] == ["2026-12-02T231500Z"]
    assert not list((media / "opendata").glob(".*.tmp"))


def test_it_keeps_the_newest_runs_only(db, media):
    for day in range(4):
        actions.do_write_dumps(now=T0 + timedelta(days=day), keep=2)
    assert [p.name for p in actions.runs()] == ["2026-12-04T231500Z", "2026-12-03T231500Z"]


def test_a_second_writer_waits_for_none(db, media):
    from django.db import connections

    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [actions.LOCK_KEY])
        assert actions.do_write_dumps(now=T0) is None
        cursor.execute("SELECT pg_advisory_unlock(%s)", [actions.LOCK_KEY])
    other.close()
    assert actions.runs() == []


def test_the_dumps_are_listed_with_their_addresses(client, db, media):
    actions.do_write_dumps(now=T0)
    listed = client.get("/api/v1/opendata/dumps/").json()
    assert len(listed) == 1 and listed[0]["run"] == "2026-12-01T231500Z"
    entry = next(f for f in listed[0]["files"] if f["file"] == "projects.csv")
    assert entry["url"] == f"{settings.SITE_URL}/media/opendata/2026-12-01T231500Z/projects.csv"
    assert client.get("/media/opendata/2026-12-01T231500Z/projects.csv").status_code == 200


def test_beat_writes_them_nightly_and_the_command_writes_one_now(db, media):
    from django.core.management import call_command

    entry = settings.CELERY_BEAT_SCHEDULE["write-opendata-dumps"]
    assert entry["task"] == "opendata.tasks.write_dumps" and entry["schedule"].hour == {3}
    call_command("write_opendata_dumps", "--keep", "3")
    assert len(actions.runs()) == 1


def test_the_catalogue_is_dcat_json_ld_with_every_dataset(client, city, media):
    actions.do_write_dumps(now=T0)
    response = client.get("/api/v1/opendata/catalogue.jsonld")
    assert response["Content-Type"].startswith("application/ld+json") and "license" in response["Link"]
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    prefixes = set(catalogue["@context"])
    _every_term_is_declared(catalogue, prefixes)
    found = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert set(found) == set(datasets())
    for dataset in found.values():
        assert dataset["@type"] == "dcat:Dataset"
        assert {t["@language"] for t in dataset["dct:title"]} == {"ka", "en"}
        assert {t["@language"] for t in dataset["dct:description"]} == {"ka", "en"}
        formats = [d for d in dataset["dcat:distribution"] if "spdx:checksum" not in d]
        assert len(formats) == 3 and all(d["dct:license"]["@id"] == settings.OPEN_DATA_LICENCE_URL for d in formats)
        assert all(d["dcat:downloadURL"]["@id"].startswith("http") and d["dcat:mediaType"] for d in formats)
        dumped = [d for d in dataset["dcat:distribution"] if "spdx:checksum" in d]
        assert len(dumped) == 3 and all(len(d["spdx:checksum"]["spdx:checksumValue"]) == 64 for d in dumped)


def _every_term_is_declared(node, prefixes):
    """JSON-LD: every compact IRI used as a key or type names a prefix of the @context."""
    if isinstance(node, list):
        for child in node:
            _every_term_is_declared(child, prefixes)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                assert key.split(":")[0] in prefixes, key
            if key == "@type":
                assert value.split(":")[0] in prefixes, value
            _every_term_is_declared(value, prefixes)
