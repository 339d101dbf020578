"""New district boundaries: items are re-filed on request, reports keep their district and say so.

Real points where the 2017 election-district file and OpenStreetMap's disagree, well away from
either file's lines: the recheck must find exactly those, and nothing else.
"""

from django.conf import settings
from django.contrib.gis.geos import Point

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category, ReportUpdate
from tests.layers.factories import VAKE, permit

DATA = settings.SHARED_DATA_DIR / "tbilisi"
LEGACY = str(DATA / "tbilisi_10_districts_wgs84.geojson")
OSM = str(DATA / "tbilisi_10_districts_osm_wgs84.geojson")
CREDIT = ["--attribution", "© OpenStreetMap contributors", "--licence", "ODbL-1.0"]
MOVED = Point(44.8375, 41.7600, srid=4326)  # Gldani in the 2017 file, Nadzaladevi in OpenStreetMap's
SENTENCE = "The district boundaries changed: this place now lies in Nadzaladevi. The report stays with Gldani"


def _before_the_new_boundaries(call):
    call("import_boundaries", "districts", LEGACY, commit=True)
    moved, stays = permit(point=MOVED), permit(point=VAKE)
    new = NewReport(category=Category.objects.get(slug="lamp-out"), point=MOVED, description="ნათურა არ ანათებს")
    report = do_submit_report(new, confirmed=True)[0]
    assert moved.district.name_en == report.district.name_en == "Gldani" and stays.district.name_en == "Vake"
    call("import_boundaries", "districts", OSM, *CREDIT, commit=True)
    return moved, stays, report


def test_it_says_what_would_move_and_changes_nothing_in_a_dry_run(call):
    moved, stays, report = _before_the_new_boundaries(call)
    output = call("recheck_districts")
    assert "dry run" in output
    assert f"construction-permits: 1 of 2 lie in another district now (Gldani → Nadzaladevi 1; e.g. {moved.reference})" in output
    assert "reports: 1 of 1 lie in another district now (Gldani → Nadzaladevi 1" in output
    assert "they keep the district they were routed with" in output
    assert "tree-permits: none of 0 moved" in output
    moved.refresh_from_db()
    assert moved.district.name_en == "Gldani" and not report.updates.filter(kind="district").exists()


def test_it_refiles_items_and_notes_it_on_reports_once(call, client):
    moved, stays, report = _before_the_new_boundaries(call)
    output = call("recheck_districts", commit=True)
    assert "construction-permits: 1 re-filed" in output and "reports: 1 noted on the timeline of" in output
    moved.refresh_from_db(), stays.refresh_from_db(), report.refresh_from_db()
    assert moved.district.name_en == "Nadzaladevi" and stays.district.name_en == "Vake"
    assert report.district.name_en == "Gldani"  # routed there; its department keeps it
    assert report.department == report.category.department_for(report.district)
    note = report.updates.get(kind=ReportUpdate.Kind.DISTRICT)
    assert note.data["now_in_en"] == "Nadzaladevi" and not note.internal
    again = call("recheck_districts", commit=True)
    assert "construction-permits: none of 2 moved" in again and "reports: 0 noted" in again
    assert report.updates.filter(kind="district").count() == 1
    assert SENTENCE in client.get(f"/en/reports/{report.reference}/").content.decode()
    georgian = client.get(f"/ka/reports/{report.reference}/").content.decode()
    assert "ნაძალადევი" in georgian and "გლდანი" in georgian and "The district" not in georgian
