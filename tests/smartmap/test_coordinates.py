"""One rule for a longitude/latitude and a box, and smartmap.lib importing no app."""

import ast
from pathlib import Path

import pytest

from smartmap.lib.coordinates import check_positions, lonlat, parse_bbox, parse_lonlat, parse_lonlat_pair

LIB = Path(__file__).resolve().parents[2] / "smartmap" / "lib"
APPS = {"accounts", "fixtracker", "forum", "layers", "places", "subscriptions"}


def test_it_takes_a_position_in_tbilisi():
    assert parse_lonlat("44.7930,41.6970") == (44.793, 41.697)  # Freedom Square
    assert parse_lonlat_pair(" 44.7930", "41.6970 ") == (44.793, 41.697)
    assert parse_bbox("44.75,41.69,44.82,41.73") == (44.75, 41.69, 44.82, 41.73)


@pytest.mark.parametrize(
    "raw",
    ["44.79", "44.79,41.69,1", "a,b", "nan,41.69", "44.79,inf", "181,41.69", "44.79,-91", "٤٤,٤١", "", "1e999,1"],
)
def test_it_refuses_what_is_not_a_position(raw):
    with pytest.raises(ValueError):
        parse_lonlat(raw)


@pytest.mark.parametrize("lon, lat", [(True, 41.7), (44.8, None), ("44.8", 41.7), (float("nan"), 41.7), (200, 0)])
def test_the_one_rule_refuses_non_numbers_and_out_of_range(lon, lat):
    with pytest.raises(ValueError):
        lonlat(lon, lat)


@pytest.mark.parametrize(
    "raw",
    ["44.7,41.6,44.9", "a,b,c,d", "44.9,41.6,44.7,41.8", "44.7,41.8,44.9,41.6", "nan,41.6,44.9,41.8", "40,40,46,46"],
)
def test_it_refuses_a_bad_or_huge_box(raw):
    with pytest.raises(ValueError):
        parse_bbox(raw)


def test_it_checks_every_position_of_an_area():
    check_positions([[44.79, 41.69], [44.8, 41.7, 500.0]])
    for bad in ([[44.79]], [[44.79, 100]], [["44.79", 41.69]], ["x"]):
        with pytest.raises(ValueError):
            check_positions(bad)


def test_the_library_imports_no_app():
    for path in LIB.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & APPS, f"{path.name} imports an app: {names}"
