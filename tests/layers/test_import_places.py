"""A file with no row inside Tbilisi is refused in one line that says what is likely wrong."""

import json

import pytest
from django.core.management.base import CommandError
from pyproj import Transformer

from layers.importing import ImportRefused
from layers.models import ConstructionPermit, Event, ImportRun
from tests.layers.registers import BATUMI, ENGLISH, GEORGIAN, PLACES, WORDS_EN, header, mapping, row, run, write_csv

NAMES = ["vake", "saburtalo", "isani", "didube", "gldani", "mtatsminda"]


def _rows(places):
    return [row(f"P-{i}", p, "ნებართვა გაცემულია", "04.03.2019", "02.05.2019") for i, p in enumerate(places)]


def _refusal(tmp_path, rows, data=None, columns=GEORGIAN):
    with pytest.raises(ImportRefused) as error:
        run(data or mapping(), write_csv(tmp_path, header(columns), rows))
    assert (ConstructionPermit.objects.count(), Event.objects.count()) == (0, 0)
    assert ImportRun.objects.latest("started_at").outcome == "refused"
    return str(error.value)


def test_swapped_latitude_and_longitude_are_named(db, tmp_path):
    swapped = [(lat, lon) for lon, lat in (PLACES[n] for n in NAMES)]
    assert _refusal(tmp_path, _rows(swapped)) == (
        "not one of the 6 located rows is inside Tbilisi, but with latitude and longitude swapped they are: "
        "the lat and lon columns are the wrong way round"
    )


def test_utm_coordinates_without_a_crs_name_the_crs_that_lands_in_tbilisi(db, tmp_path):
    utm = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)
    points = [tuple(round(v, 2) for v in utm.transform(*PLACES[n])) for n in NAMES]
    data = mapping(ENGLISH, WORDS_EN)
    data["geometry"] = {"x": "Longitude", "y": "Latitude"}
    rows = [row(f"P-{i}", p, "Issued", "2019-03-04") for i, p in enumerate(points)]
    assert _refusal(tmp_path, rows, data, ENGLISH) == (
        "not one of the 6 located rows is inside Tbilisi, but read as EPSG:32638 (WGS 84 / UTM zone 38N) they are: "
        'add crs: "EPSG:32638" to the mapping'
    )


def test_a_wrong_crs_is_named(db, tmp_path):
    data = mapping(crs="EPSG:3857")  # the coordinates are degrees
    message = _refusal(tmp_path, _rows(NAMES), data)
    assert message.endswith("but read as EPSG:4326 (WGS 84) they are: the mapping's crs EPSG:3857 is wrong")


def test_another_citys_data_is_suspected(db, tmp_path):
    message = _refusal(tmp_path, _rows([BATUMI] * 3))
    assert message.startswith(
        "not one of the 3 located rows is inside Tbilisi: the locations centre on 41.6460, 41.6400, "
    )
    assert message.endswith("km from Tbilisi (swapped coordinates and EPSG:32638, EPSG:4326, EPSG:3857 do not place "
                            "them there either): is this another city's register?")  # fmt: skip


def test_the_command_exits_non_zero_with_one_line(call, tmp_path):
    path = write_csv(tmp_path, header(GEORGIAN), _rows([BATUMI] * 50))
    mapping_path = tmp_path / "permits.json"
    mapping_path.write_text(json.dumps(mapping()), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call("import_layer", "construction-permits", str(path), "--mapping", str(mapping_path), commit=True)
    assert "\n" not in str(error.value)
    assert str(error.value).startswith("refused, nothing written: not one of the 50 located rows is inside Tbilisi")


def test_some_rows_outside_are_refused_by_row_and_the_rest_imports(db, tmp_path):
    report = run(mapping(), write_csv(tmp_path, header(GEORGIAN), _rows(["vake", BATUMI])))
    assert (report.run.created, report.run.rejected, report.run.refused_by_reason) == (1, 1, {"outside Tbilisi": 1})
    assert report.rejections[0].reason == "location 41.64600, 41.64000 is outside Tbilisi"


def test_a_file_where_no_row_can_be_imported_is_refused(db, tmp_path):
    rows = [row("P-1", "vake", "ვინ იცის"), row("P-2", "isani", "")]
    message = _refusal(tmp_path, rows)
    assert message == "none of the 2 rows could be imported (1 unknown status word, 1 no status)"


def test_the_reports_layer_is_pointed_to_its_own_command(call, tmp_path):
    with pytest.raises(CommandError) as error:
        call("import_layer", "reports", str(tmp_path / "r.csv"), "--mapping", str(tmp_path / "r.yaml"))
    assert str(error.value).endswith("use manage.py import_reports")
    assert not ImportRun.objects.exists()
