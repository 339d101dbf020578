"""A wide register (one row per permit, a date column per stage) keeps every stage with its date.

The same register is written as a Georgian CSV, an English Excel file (real date cells), an English
GeoJSON and a Shapefile in UTM 38N; each import must give exactly the same items and timelines.
"""

from datetime import datetime

import pytest

from tests.layers.registers import (
    ENGLISH,
    GEORGIAN,
    WORDS_EN,
    header,
    history,
    mapping,
    permit,
    row,
    run,
    snapshot,
    write_csv,
    write_vector,
    write_xlsx,
)

KA_ROWS = [
    row("W-1", "vake", "ექსპლუატაციაში მიღებულია", "04.03.2019", "02.05.2019", "10.06.2020", "15.09.2022"),
    row("W-2", "saburtalo", "ნებართვა გაცემულია", "01.02.2024"),
    row("W-3", "isani", "გაუქმებულია", "10.01.2021", "05.05.2021"),
    row("W-4", "didube", "ნებართვა გაცემულია"),
    # The status column lags a dated later stage: which is true is not ours to guess.
    row("W-5", "gldani", "ნებართვა გაცემულია", "01.03.2023", "", "01.04.2023"),
]

EXPECTED = {
    "W-1": [
        ("created", "", "application_filed", "2019-03-04", "source"),
        ("status_changed", "application_filed", "issued", "2019-05-02", "source"),
        ("status_changed", "issued", "construction_started", "2020-06-10", "source"),
        ("status_changed", "construction_started", "completed", "2022-09-15", "source"),
    ],
    "W-2": [
        ("created", "", "application_filed", "2024-02-01", "source"),
        ("status_changed", "application_filed", "issued", None, "unknown"),
    ],
    "W-3": [
        ("created", "", "application_filed", "2021-01-10", "source"),
        ("status_changed", "application_filed", "issued", "2021-05-05", "source"),
        ("status_changed", "issued", "cancelled", None, "unknown"),
    ],
    "W-4": [("created", "", "issued", None, "unknown")],
}


def _english(rows):
    words = {ka: en for en, ka in [(e, k) for k, e in zip(
        ["ექსპლუატაციაში მიღებულია", "ნებართვა გაცემულია", "გაუქმებულია"],
        ["Commissioned", "Issued", "Cancelled"], strict=True)]}  # fmt: skip
    return [[r[0], r[1], words[r[2]], *(_iso(v) for v in r[3:7]), *r[7:]] for r in rows]


def _iso(value):
    return datetime.strptime(value, "%d.%m.%Y").date().isoformat() if value else ""


def _cells(rows):
    """Excel rows with real date cells, as a spreadsheet keeps them."""
    return [[*r[:3], *(datetime.fromisoformat(v) if v else None for v in r[3:7]), *r[7:]] for r in rows]


SHORT = {"id": "APP_NO", "address": "ADDRESS", "status": "STATUS", "applied": "APPLIED", "issued": "ISSUED",
         "started": "STARTED", "completed": "COMPLETED", "lat": "lat", "lon": "lon"}  # fmt: skip


def _georgian_csv(tmp_path):
    return mapping(), write_csv(tmp_path, header(GEORGIAN), KA_ROWS)


def _english_xlsx(tmp_path):
    return mapping(ENGLISH, WORDS_EN), write_xlsx(tmp_path, header(ENGLISH), _cells(_english(KA_ROWS)))


def _english_geojson(tmp_path):
    path = write_vector(
        tmp_path, header(ENGLISH), _english(KA_ROWS), "register.geojson", lat="Latitude", lon="Longitude"
    )
    return mapping(ENGLISH, WORDS_EN, geometry=False), path


def _shapefile_utm(tmp_path):
    path = write_vector(tmp_path, header(SHORT), _english(KA_ROWS), "register.shp", crs="EPSG:32638")
    return mapping(SHORT, WORDS_EN, geometry=False), path


SHAPES = [_georgian_csv, _english_xlsx, _english_geojson, _shapefile_utm]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__.strip("_"))
def test_every_stage_becomes_an_event_with_its_own_date_oldest_first(db, tmp_path, shape):
    data, path = shape(tmp_path)
    report = run(data, path)
    assert {pid: history(permit(pid)) for pid in EXPECTED} == EXPECTED
    run_ = report.run
    assert (run_.rows_read, run_.created, run_.updated, run_.unchanged, run_.rejected) == (5, 4, 0, 0, 1)
    assert run_.events == {"created": 4, "status_changed": 6}
    assert run_.refused_by_reason == {"contradictory stages": 1}
    assert [r.row for r in report.rejections] == [6 if path.suffix in (".csv", ".xlsx") else 5]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__.strip("_"))
def test_re_importing_a_wide_register_changes_nothing(db, tmp_path, shape):
    data, path = shape(tmp_path)
    run(data, path)
    before = snapshot()
    report = run(data, path)
    assert (report.run.created, report.run.updated, report.run.unchanged, report.run.events) == (0, 0, 4, {})
    assert snapshot() == before


def test_the_item_is_at_its_last_stage_since_its_date_or_says_the_date_is_unknown(db, tmp_path):
    run(*_georgian_csv(tmp_path))
    done = permit("W-1")
    assert (done.status, done.status_date_known, done.status_since.date().isoformat()) == (
        "completed",
        True,
        "2022-09-15",
    )
    issued = permit("W-2")
    assert (issued.status, issued.status_date_known) == ("issued", False)
    assert permit("W-3").status == "cancelled"


def test_a_contradictory_row_is_refused_with_its_reason(db, tmp_path):
    report = run(*_georgian_csv(tmp_path))
    (rejection,) = report.rejections
    assert rejection.reason == (
        "the status is 'ნებართვა გაცემულია' but column 'მშენებლობის დაწყება' dates a later stage (01.04.2023)"
    )


def test_a_stage_filled_in_later_is_added_in_its_place(db, tmp_path):
    data, path = _georgian_csv(tmp_path)
    run(data, path)
    later = [r[:] for r in KA_ROWS[:4]]
    later[1][2], later[1][5] = "მშენებლობა დაწყებულია", "01.11.2024"  # W-2 started building
    report = run(data, write_csv(tmp_path, header(GEORGIAN), later, "later.csv"))
    assert (report.run.updated, report.run.unchanged, report.run.events) == (1, 3, {"status_changed": 1})
    assert history(permit("W-2"))[-1] == ("status_changed", "issued", "construction_started", "2024-11-01", "source")
