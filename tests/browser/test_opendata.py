"""The open data page in Chromium: desktop 1366 in English and a 360 x 740 phone in Georgian (and the
other way round): nothing overflows, the header fits, a whole dataset and a filtered part download
as CSV that parses with the dataset's dictionary's columns."""

import csv
import io

import pytest

from layers.demo import load_demo

pytestmark = pytest.mark.browser
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def permits(live):
    load_demo("tree-permits", 8, seed=3)
    return live


def _fits(page):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.topbar').scrollWidth, document.querySelector('.topbar').clientWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths


def _rows(download) -> list[dict]:
    with open(download.path(), encoding="utf-8") as f:
        return list(csv.DictReader(io.StringIO(f.read())))


@pytest.mark.parametrize(
    "language,phone",
    [("en", False), ("ka", True), ("ka", False), ("en", True)],
    ids=["en-1366", "ka-360", "ka-1366", "en-360"],
)
def test_the_open_data_page_downloads_a_csv(permits, open_context, shot, language, phone):
    context = open_context(phone=phone, locale="en-GB" if language == "en" else "ka-GE", accept_downloads=True)
    page = context.new_page()
    if not phone:
        page.set_viewport_size(WIDE)
    page.goto(f"{permits.url}/{language}/opendata/")
    heading = page.locator("h1").inner_text()
    assert heading == ("Open data" if language == "en" else "ღია მონაცემები")
    _fits(page)
    shot(page, "top")
    section = page.locator("#tree-permits")
    section.scroll_into_view_if_needed()
    section.locator("summary").click()
    assert section.locator(".opendata-dictionary tbody tr").count() > 10
    shot(page, "dictionary")
    with page.expect_download() as whole:
        section.locator("a.button", has_text="CSV").click()
    rows = _rows(whole.value)
    assert len(rows) == 8 and {"id", "lon", "lat", "wkt", "kind"} <= set(rows[0])

    page.select_option("#od-dataset", "tree-permits")
    page.select_option("#od-format", "csv")
    page.fill("#od-status", "issued,carried_out")
    with page.expect_download() as part:
        page.locator("#opendata-form button[type=submit]").click()
    assert all(r["status"] in ("issued", "carried_out") for r in _rows(part.value))


def test_a_bad_choice_comes_back_with_the_reason_in_georgian(permits, open_context, shot):
    page = open_context(phone=True).new_page()
    page.goto(f"{permits.url}/ka/opendata/")
    page.fill("#od-status", "sideways")
    page.locator("#opendata-form button[type=submit]").click()
    alert = page.locator("[role=alert]")
    alert.wait_for()
    shot(page, "problem")
    assert "status" in alert.inner_text() and any("ა" <= ch <= "ჰ" for ch in alert.inner_text())
