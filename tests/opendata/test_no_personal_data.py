"""No personal data in any export: a sentinel reporter and a private applicant appear in no file,
byte for byte; hidden and unconfirmed reports are in none either."""

import pytest

from tests.layers.conftest import import_sample  # noqa: F401
from tests.opendata.conftest import FORMATS, SENTINELS, body, read_csv

DATASETS = ("construction-permits", "tree-permits", "projects", "forum", "reports", "status-history")


@pytest.fixture
def everything(city, import_sample):  # noqa: F811
    import_sample("construction_permits.csv", "construction_permits.yaml")
    return city


@pytest.mark.parametrize("slug", DATASETS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_sentinel_in_any_export(client, everything, slug, fmt):
    data = body(client.get(f"/api/v1/opendata/{slug}.{fmt}"))
    original = everything["anonymous"].photos.get().original.name
    for sentinel in (
        *SENTINELS,
        original,
        "10.1.2.3",
        "nino@example.ge",
        "hidden report text",
        "unconfirmed report text",
    ):
        assert sentinel.encode() not in data, (slug, fmt, sentinel)


def test_the_private_applicants_permit_is_published_without_them(client, everything):
    rows = {r["reference"]: r for r in read_csv(client.get("/api/v1/opendata/construction-permits.csv"))}
    assert rows["A-2024-0420"]["applicant_org"] == ""


def test_a_name_the_reporter_chose_to_show_is_published(client, everything):
    rows = {r["reference"]: r for r in read_csv(client.get("/api/v1/opendata/reports.csv"))}
    assert rows[everything["shown"].reference]["reporter"] == "Nino Shown"
    assert rows[everything["anonymous"].reference]["reporter"] == ""


def test_hidden_and_unconfirmed_reports_are_in_no_export(client, everything):
    references = {r["reference"] for r in read_csv(client.get("/api/v1/opendata/reports.csv"))}
    assert everything["shown"].reference in references
    assert everything["hidden"].reference not in references
    assert everything["unconfirmed"].reference not in references
    history = read_csv(client.get("/api/v1/opendata/status-history.csv"))
    ids = {int(r["item_id"]) for r in history if r["layer"] == "reports"}
    assert everything["shown"].pk in ids
    assert not ids & {everything["hidden"].pk, everything["unconfirmed"].pk}
