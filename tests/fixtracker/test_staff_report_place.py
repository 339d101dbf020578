"""The staff report page shows where the report is: district, nearest street, coordinates, a geo: link."""

import pytest
from django.contrib.gis.geos import LineString

from fixtracker.models import Report
from layers.models import GazetteerEntry
from smartmap.lib.translit import search_form


@pytest.fixture
def chavchavadze(db):
    # Runs through the report's point (44.7560, 41.7105), offset ~45 m north of it.
    return GazetteerEntry.objects.create(
        kind="street",
        name_ka="ი. ჭავჭავაძის გამზირი",
        name_en="I. Chavchavadze Avenue",
        search_text=search_form("ი. ჭავჭავაძის გამზირი", "I. Chavchavadze Avenue"),
        geom=LineString((44.7500, 41.7109), (44.7620, 41.7109), srid=4326),
        source="test",
    )


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_the_place_is_shown_with_street_district_coordinates_and_geo_link(
    client, submit, tbilservice_staff, chavchavadze, lang
):
    report = submit()
    client.force_login(tbilservice_staff)
    html = client.get(f"/{lang}/staff/reports/{report.reference}/").content.decode()
    assert 'href="geo:41.710500,44.756000"' in html
    assert "41.710500, 44.756000" in html
    street = "ი. ჭავჭავაძის გამზირი" if lang == "ka" else "I. Chavchavadze Avenue"
    assert street in html
    report.refresh_from_db()
    assert report.district is not None
    assert (report.district.name_ka if lang == "ka" else report.district.name_en) in html
    assert ("ადგილი" if lang == "ka" else "Nearest street") in html


def test_a_street_farther_than_300_m_is_not_named(client, submit, tbilservice_staff, chavchavadze):
    GazetteerEntry.objects.filter(pk=chavchavadze.pk).update(
        geom=LineString((44.7500, 41.7200), (44.7620, 41.7200), srid=4326)  # ~1 km north
    )
    report = submit()
    client.force_login(tbilservice_staff)
    html = client.get(f"/en/staff/reports/{report.reference}/").content.decode()
    assert "Chavchavadze" not in html
    assert "no street of the gazetteer within 300 m" in html


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_an_imported_report_without_a_place_says_so(client, submit, tbilservice_staff, lang):
    report = submit()
    Report.objects.filter(pk=report.pk).update(point=None, geom=None)
    client.force_login(tbilservice_staff)
    response = client.get(f"/{lang}/staff/reports/{report.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "geo:" not in html
    words = "ადგილი არ აქვს" if lang == "ka" else "This report has no place"
    assert words in html
