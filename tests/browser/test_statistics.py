"""The statistics page as residents use it: a question compared two ways, its chart, table, CSV and
permalink equal to a plain COUNT … GROUP BY; the response record's definitions; the report page's
link to its department's record; the map's "statistics for this area"."""

import csv
import io
import random
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from fixtracker.models import Category
from layers.demo import load_demo
from layers.models import ConstructionPermit, TreePermit
from places.models import District
from tests.stats.factories import TBILISI, report, tree_permits

pytestmark = pytest.mark.browser
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


@pytest.fixture
def trees(live):
    """Tree permits in Vake and Saburtalo through 2024 and 2025, a few elsewhere and a few hidden."""
    rng = random.Random(11)
    vake, saburtalo = District.objects.get(slug="vake"), District.objects.get(slug="saburtalo")
    for district in (vake, saburtalo):
        point = district.geom.point_on_surface
        for year, count in ((2024, 40), (2025, 55)):
            start = datetime(year, 1, 1, tzinfo=TBILISI)
            for permit in tree_permits(rng, count, district_id=district.pk, point=point, status_date_known=True):
                permit.status_since = start + timedelta(days=rng.uniform(0, 364.9))
                permit.save(update_fields=["status_since"])
    return vake, saburtalo


def plain_counts(district, year) -> dict[str, int]:
    """The floor the page must equal: public tree permits by Tbilisi month of their current status."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT to_char(status_since AT TIME ZONE 'Asia/Tbilisi', 'YYYY-MM'), count(*)
                FROM {TreePermit._meta.db_table}
                WHERE district_id = %s AND status_date_known AND {TreePermit.public_sql()}
                  AND (status_since AT TIME ZONE 'Asia/Tbilisi')::date BETWEEN %s AND %s
                GROUP BY 1""",
            [district.pk, f"{year}-01-01", f"{year}-12-31"],
        )
        return dict(cursor.fetchall())


def table(page) -> dict[str, list[int]]:
    """{row key: [values…]} of the answer table, read from the page."""
    rows = page.locator("#stats-table tbody tr[data-key]")
    return {
        _month(rows.nth(i).get_attribute("data-key")): [
            int(v) for v in rows.nth(i).locator("td.num").all_inner_texts()[:2]
        ]
        for i in range(rows.count())
    }


def _month(key: str) -> str:
    """A month row's key is its index since year 0 (year × 12 + month − 1)."""
    year, month = divmod(int(key), 12)
    return f"{year}-{month + 1:02d}"


def chart(page) -> dict[str, list[int]]:
    """What Chart.js was given to draw: {label: [dataset values…]}."""
    data = page.evaluate(
        "() => { const c = document.getElementById('stats-chart').chart;"
        " return {labels: c.data.labels, sets: c.data.datasets.map((d) => d.data)}; }"
    )
    return {label: [int(s[i]) for s in data["sets"]] for i, label in enumerate(data["labels"])}


def expect_month(counts: dict[str, int], month: str) -> int:
    return counts.get(month, 0)


@pytest.mark.parametrize(("phone", "lang"), [(False, "en"), (True, "ka")], ids=["desktop-en", "phone-ka"])
def test_vake_against_saburtalo_and_2025_against_2024_by_month(live, trees, open_context, shot, tmp_path, phone, lang):
    vake, saburtalo = trees
    context = open_context(phone=phone, locale="en-GB" if lang == "en" else "ka-GE", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live.url}/{lang}/statistics/")
    # Build the question in the form, as a person would.
    page.locator("details.stats-layer summary input[value='tree-permits']").check()
    page.select_option("#stats-territory", "district:vake")
    page.fill("#stats-from", "2025-01-01")
    page.fill("#stats-to", "2025-12-31")
    page.select_option("#stats-group", "month")
    page.select_option("#stats-compare", "territory")
    page.select_option("#stats-territory-b", "district:saburtalo")
    page.click("#stats-form button[type=submit]")
    page.wait_for_selector("#stats-table")
    page.wait_for_function(
        "() => document.getElementById('stats-chart') && document.getElementById('stats-chart').chart"
    )

    a, b = plain_counts(vake, 2025), plain_counts(saburtalo, 2025)
    assert 0 < sum(a.values()) <= 55 and 0 < sum(b.values()) <= 55  # the withdrawn ones are not public
    expected = {m: [expect_month(a, m), expect_month(b, m)] for m in MONTHS}  # empty months are zeros
    assert table(page) == expected
    labelled = page.locator("#stats-table tbody tr[data-key] th").all_inner_texts()
    assert {k: v for k, v in chart(page).items() if any(v)} == dict(zip(labelled, expected.values(), strict=True))
    totals = [int(v) for v in page.locator("#stats-table tfoot td.num").all_inner_texts()[:2]]
    assert totals == [sum(a.values()), sum(b.values())]
    shot(page, f"territories-{lang}")

    # The CSV holds the same table.
    with page.expect_download() as info:
        page.click("#stats-csv")
    with open(info.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert [[int(r[2]), int(r[3])] for r in rows[1:-1]] == list(expected.values())
    assert [int(rows[-1][2]), int(rows[-1][3])] == totals

    # The permalink, opened in a fresh browser, asks and answers the same.
    permalink = page.locator("#stats-permalink").get_attribute("href")
    fresh = open_context(phone=phone, locale="en-GB" if lang == "en" else "ka-GE").new_page()
    fresh.goto(live.url + permalink)
    fresh.wait_for_selector("#stats-table")
    assert table(fresh) == expected

    # 2025 against 2024 in Vake.
    page.goto(
        f"{live.url}/{lang}/statistics/?layer=tree-permits&territory=district:vake&from=2025-01-01&to=2025-12-31"
        "&group=month&compare=period&from_b=2024-01-01&to_b=2024-12-31"
    )
    page.wait_for_selector("#stats-table")
    b = plain_counts(vake, 2024)
    shifted = {f"2024-{m[5:]}": n for m, n in b.items()}
    got = table(page)
    assert sum(v[0] for v in got.values()) == sum(a.values())
    assert sum(v[1] for v in got.values()) == sum(shifted.values())
    shot(page, f"periods-{lang}")


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_the_street_lighting_record_shows_its_definitions_and_a_report_links_to_it(live, open_context, shot, lang):
    lamp_out = Category.objects.get(slug="lamp-out")
    start = datetime(2026, 3, 2, 10, tzinfo=TBILISI)
    made = [
        report(lamp_out, start + timedelta(days=i), acknowledged_after=timedelta(hours=2 if i < 9 else 30))
        for i in range(12)
    ]
    page = open_context(phone=lang == "ka", locale="en-GB" if lang == "en" else "ka-GE").new_page()
    page.goto(f"{live.url}/{lang}/reports/{made[0].reference}/")
    link = page.locator("a[href*='/statistics/response/']").first
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query["department"] == [lamp_out.department.slug]
    link.click()
    page.wait_for_url(f"**/{lang}/statistics/response/**")
    page.locator("#definitions").wait_for()
    text = page.locator("#definitions").inner_text()
    if lang == "en":
        assert "Paused time" in text and "keeps its clock" in text
    else:
        assert page.locator("#definitions-title").inner_text() == "რას ნიშნავს მაჩვენებლები"
    shot(page, f"record-{lang}")


@pytest.mark.parametrize(("phone", "lang"), [(False, "en"), (True, "ka")], ids=["desktop-en", "phone-ka"])
def test_count_in_a_drawn_area_opens_the_statistics_of_that_area(live, open_context, shot, phone, lang):
    load_demo("construction-permits", 80, seed=3)
    page = open_context(phone=phone, locale="en-GB" if lang == "en" else "ka-GE").new_page()
    page.goto(f"{live.url}/{lang}/#13/41.70500/44.78500")
    page.wait_for_selector("#map[data-ready='true']")
    if phone:
        page.evaluate("() => document.getElementById('map-panel').classList.add('is-closed')")
    page.click(".map-tools [data-tool=count]")
    box = page.locator("#map").bounding_box()
    # Clear of the layers panel (left on a desktop) and the tool box (top right on a desktop,
    # the lower half of a phone's map).
    corners = [(0.3, 0.45), (0.7, 0.45), (0.7, 0.85), (0.3, 0.85)]
    if phone:
        corners = [(0.15, 0.25), (0.6, 0.25), (0.6, 0.45), (0.15, 0.45)]
    corners.append(corners[0])  # back on the first corner closes the shape
    for fx, fy in corners:
        position = {"x": box["width"] * fx, "y": box["height"] * fy}
        if phone:
            page.locator("#map").tap(position=position)
            page.wait_for_timeout(400)  # taps closer together are a double tap
        else:
            page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    link = page.locator("#tool-box a[data-action=area-statistics]")
    link.wait_for()
    shot(page, "count-link")
    total = page.locator("#tool-box .count-row[data-layer='construction-permits'] .count-total").inner_text()
    on_map = int("".join(c for c in total if c.isdigit()))
    link.focus()
    page.keyboard.press("Enter")  # keyboard-reachable: a plain link
    page.wait_for_selector("#stats-table")
    assert page.url.startswith(f"{live.url}/{lang}/statistics/")
    assert page.locator("#stats-territory").input_value() == "area"
    permits = sum(
        int(v)
        for v in page.locator("#stats-table tbody tr[data-layer='construction-permits'] td.num").all_inner_texts()
    )
    assert permits == on_map == ConstructionPermit.objects.public().filter(point__intersects=_area(page)).count()
    shot(page, "area-statistics")


def _area(page):
    from django.contrib.gis.geos import GEOSGeometry

    return GEOSGeometry(page.locator("#stats-area").input_value(), srid=4326)
