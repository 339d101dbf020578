"""The boundary importer: any file, any CRS, repaired, deterministic, all-or-nothing."""

import shutil

import pytest
import shapely
from django.conf import settings
from django.core.management.base import CommandError

from places.models import CityBoundary, District

DATA = settings.SHARED_DATA_DIR / "tbilisi"
GEOJSON = DATA / "tbilisi_10_districts_osm_wgs84.geojson"  # the default: OpenStreetMap's
LEGACY = DATA / "tbilisi_10_districts_wgs84.geojson"  # the 2017 election districts, still importable
SHAPEFILE = DATA / "districts_utm38n_shapefile" / "tbs_district.shp"  # the same, as City Hall's UTM 38N
OSM = ["--attribution", "© OpenStreetMap contributors", "--licence", "ODbL-1.0"]


def _snapshot():
    return {d.number: (d.name_en, d.geom.wkb.hex()) for d in District.objects.all()}


def test_it_imports_the_utm38n_shapefile_like_the_wgs84_geojson(call):
    District.objects.all().delete()
    call("import_boundaries", "districts", str(SHAPEFILE), commit=True)
    from_shapefile = {d.number: shapely.from_wkb(bytes(d.geom.wkb)) for d in District.objects.all()}
    District.objects.all().delete()
    call("import_boundaries", "districts", str(LEGACY), commit=True)
    assert District.objects.count() == 10
    for district in District.objects.all():
        # The same data in two CRSs: after reprojection they differ by rounding only (< 0.1 %).
        other = from_shapefile[district.number]
        mine = shapely.from_wkb(bytes(district.geom.wkb))
        assert mine.symmetric_difference(other).area / mine.area < 1e-3


def test_it_stores_georgian_and_english_names_and_areas(db):
    vake = District.objects.get(name_en="Vake")
    assert vake.name_ka == "ვაკე"
    assert 55 < vake.area_km2 < 70  # OpenStreetMap's Vake reaches into the forest park to the west
    assert 500 < sum(d.area_km2 for d in District.objects.all()) < 510


def test_it_keeps_the_credit_the_licence_asks_for(db):
    assert District.objects.attributions() == ["© OpenStreetMap contributors"]
    assert District.objects.licences() == ["ODbL-1.0"]


def test_the_older_file_stays_importable_with_its_own_credit(call):
    output = call("import_boundaries", "districts", str(LEGACY), "--attribution", "CEC of Georgia", commit=True)
    assert "10 updated" in output and "recheck_districts" in output
    assert District.objects.attributions() == ["CEC of Georgia"] and District.objects.licences() == []
    assert 20 < District.objects.get(name_en="Vake").area_km2 < 35


def test_it_leaves_no_overlap_between_neighbours(db):
    shapes = [shapely.from_wkb(bytes(d.geom.wkb)) for d in District.objects.order_by("number")]
    for i, first in enumerate(shapes):
        assert first.is_valid
        for second in shapes[i + 1 :]:
            assert first.intersection(second).area < 1e-12


def test_it_gives_an_overlap_to_the_lower_district_number(call, tmp_path):
    # Two squares overlapping in the middle, numbered against their file order.
    path = tmp_path / "two.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","properties":{"District":12,"Ka_Name":"ბ","En_Name":"B"},'
        '"geometry":{"type":"Polygon","coordinates":[[[44.80,41.70],[44.82,41.70],[44.82,41.72],[44.80,41.72],[44.80,41.70]]]}},'
        '{"type":"Feature","properties":{"District":11,"Ka_Name":"ა","En_Name":"A"},'
        '"geometry":{"type":"Polygon","coordinates":[[[44.81,41.70],[44.83,41.70],[44.83,41.72],[44.81,41.72],[44.81,41.70]]]}}'
        "]}"
    )
    call("import_boundaries", "districts", str(path), commit=True)
    a, b = District.objects.get(number=11), District.objects.get(number=12)
    middle = "POINT(44.815 41.71)"
    assert a.geom.contains(_pt(middle))
    assert not b.geom.contains(_pt(middle))


def _pt(wkt):
    from django.contrib.gis.geos import GEOSGeometry

    return GEOSGeometry(wkt, srid=4326)


def test_it_repairs_a_self_intersecting_polygon(call, tmp_path):
    path = tmp_path / "bowtie.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature",'
        '"properties":{"District":20,"Ka_Name":"პეპელა","En_Name":"Bowtie"},'
        '"geometry":{"type":"Polygon","coordinates":[[[44.80,41.70],[44.82,41.72],[44.82,41.70],[44.80,41.72],[44.80,41.70]]]}}]}'
    )
    call("import_boundaries", "districts", str(path), commit=True)
    bowtie = District.objects.get(number=20)
    assert bowtie.geom.valid
    assert len(bowtie.geom) == 2


def test_it_changes_nothing_on_a_rerun(call):
    before = _snapshot()
    output = call("import_boundaries", "districts", str(GEOJSON), *OSM, commit=True)
    assert "10 unchanged" in output and "slivers" in output
    assert _snapshot() == before
    assert "0 created, 0 updated, 1 unchanged" in call("load_tbilisi")


def test_it_writes_nothing_without_commit(call):
    District.objects.all().delete()
    output = call("import_boundaries", "districts", str(GEOJSON))
    assert "Dry run" in output
    assert District.objects.count() == 0


def test_it_subdivides_the_city_boundary_for_fast_lookups(db):
    city = CityBoundary.objects.get()
    assert 495 < city.area_km2 < 505
    assert city.parts.count() > 50


def _broken(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "features": [ {"type": "Feat')
    return [str(path)]


def _not_geographic(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("this is not a map\n")
    return [str(path)]


def _points(tmp_path):
    path = tmp_path / "points.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"District":1,'
        '"Ka_Name":"ა","En_Name":"A"},"geometry":{"type":"Point","coordinates":[44.8,41.7]}}]}'
    )
    return [str(path)]


def _metres_without_crs(tmp_path):
    # A shapefile in UTM whose .prj went missing: we must not guess.
    for ext in ("shp", "shx", "dbf", "cpg"):
        shutil.copy(SHAPEFILE.with_suffix(f".{ext}"), tmp_path / f"noprj.{ext}")
    return [str(tmp_path / "noprj.shp")]


def _unknown_crs(tmp_path):
    for ext in ("shp", "shx", "dbf", "cpg"):
        shutil.copy(SHAPEFILE.with_suffix(f".{ext}"), tmp_path / f"badprj.{ext}")
    (tmp_path / "badprj.prj").write_text('PROJCS["Nowhere",GEOGCS["nonsense"]]')
    return [str(tmp_path / "badprj.shp")]


def _wrong_srid(tmp_path):
    # Metres read as if they were degrees: lands nowhere near Tbilisi.
    return [*_metres_without_crs(tmp_path), "--srid", "4326"]


def _unreadable_srid(tmp_path):
    return [*_metres_without_crs(tmp_path), "--srid", "EPSG:999999"]


def _missing_field(tmp_path):
    return [str(GEOJSON), "--number-field", "Raion"]


def _missing_file(tmp_path):
    return [str(tmp_path / "nowhere.geojson")]


def _repeated_numbers(tmp_path):
    return [str(LEGACY), "--number-field", "Mayor"]


@pytest.mark.parametrize(
    "make_args, reason",
    [
        (_broken, "not a readable geographic file"),
        (_not_geographic, "not a readable geographic file"),
        (_points, "no polygon geometry"),
        (_metres_without_crs, "does not say which coordinate reference system"),
        (_unknown_crs, "could not be read"),
        (_wrong_srid, "not in Tbilisi"),
        (_unreadable_srid, "unknown coordinate reference system"),
        (_missing_field, "has no field 'Raion'"),
        (_missing_file, "no such file"),
        (_repeated_numbers, "district numbers repeat"),
    ],
)
def test_it_refuses_bad_input_with_one_line_and_changes_nothing(call, tmp_path, make_args, reason):
    before = _snapshot()
    with pytest.raises(CommandError) as error:
        call("import_boundaries", "districts", *make_args(tmp_path), commit=True)
    message = str(error.value)
    assert reason in message
    assert "\n" not in message
    assert _snapshot() == before
