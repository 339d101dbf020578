"""The map's tools: measuring, counting inside a drawn area, search and the copied link."""

import re

import pytest
from django.contrib.gis.geos import GEOSGeometry

from layers.demo import load_demo
from layers.gazetteer import DEMO_FILE, load_places, read_places
from layers.models import ConstructionPermit

pytestmark = pytest.mark.browser
# The old town at zoom 15: wide enough for a few hundred metres between clicks.
VIEW = "#15/41.69400/44.80100"


def _open_map(page, url):
    page.goto(url)
    page.wait_for_selector("#map[data-districts-loaded='10']")
    page.wait_for_selector("#map[data-ready='true']")
    return page


def _map_point(page, fx, fy):
    """Page coordinates of the point at fractions (fx, fy) of the map's width and height."""
    box = page.locator("#map").bounding_box()
    return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy


def _click_points(page, fractions):
    for fx, fy in fractions:
        page.mouse.click(*_map_point(page, fx, fy))


def _latlngs(page, fractions):
    """What the map itself says lies under those points (container coordinates)."""
    box = page.locator("#map").bounding_box()
    points = [[box["width"] * fx, box["height"] * fy] for fx, fy in fractions]
    return page.evaluate("(points) => points.map(([x, y]) => smartmap.map.containerPointToLatLng([x, y]))", points)


def _number(text):
    """12 345,6 / 12,345.6 -> 12345.6, whatever the language's separators."""
    digits = re.sub(r"[^\d.,]", "", text)
    if "," in digits and "." not in digits and len(digits.split(",")[-1]) != 3:
        digits = digits.replace(",", ".")
    return float(digits.replace(",", ""))


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_it_measures_the_distance_between_two_clicked_points(live, open_context, shot, phone):
    page = _open_map(open_context(phone=phone, locale="en-GB").new_page(), live.url + "/en/" + VIEW)
    page.click(".map-tools [data-tool=distance]")
    assert page.locator(".map-tools [data-tool=distance]").get_attribute("aria-pressed") == "true"
    clicks = [(0.3, 0.45), (0.7, 0.4)]
    _click_points(page, clicks)
    label = page.locator(".measure-label")
    label.wait_for()
    a, b = _latlngs(page, clicks)
    expected = page.evaluate("([a, b]) => L.latLng(a).distanceTo(L.latLng(b))", [a, b])
    text = label.inner_text()
    unit = 1000 if text.strip().endswith("km") else 1
    assert abs(_number(text) * unit - expected) <= max(2, expected * 0.01), (text, expected)
    assert 100 < expected < 5000  # a plausible walk across the old town
    assert page.locator("#tool-box .measure-value").inner_text() == text
    shot(page, "distance")

    page.click("#tool-box >> text=Close")
    page.wait_for_selector(".measure-label", state="detached")  # after Leaflet's fade-out
    assert page.locator("#tool-box").is_hidden()


def test_it_measures_an_area(live, open_context, shot):
    page = _open_map(open_context(locale="ka-GE").new_page(), live.url + "/ka/" + VIEW)
    page.click(".map-tools [data-tool=area]")
    corners = [(0.4, 0.3), (0.7, 0.3), (0.7, 0.7), (0.4, 0.7)]
    _click_points(page, corners)
    page.click("#tool-box button.primary")  # Finish
    value = page.locator("#tool-box .measure-value")
    value.wait_for()
    latlngs = _latlngs(page, corners)
    # The projected rectangle's area, in m²: a check independent of the tool's spherical formula.
    ring = [[p["lng"], p["lat"]] for p in latlngs] + [[latlngs[0]["lng"], latlngs[0]["lat"]]]
    polygon = GEOSGeometry(f'{{"type": "Polygon", "coordinates": [{ring}]}}', srid=4326).transform(32638, clone=True)
    text = value.inner_text()
    unit = 1e6 if re.search("km²|კმ²", text) else 1e4 if re.search("ha|ჰა", text) else 1
    measured = _number(text) * unit
    assert abs(measured - polygon.area) < polygon.area * 0.02, (text, polygon.area)
    shot(page, "area-ka")


def test_it_counts_the_items_inside_a_drawn_area(live, open_context, shot):
    load_demo("construction-permits", 80, seed=3)
    load_demo("tree-permits", 30, seed=3)
    page = _open_map(open_context(locale="en-GB").new_page(), live.url + "/en/#13/41.70500/44.78500")
    page.click(".map-tools [data-tool=count]")
    # Clear of the layers panel (left) and the tool box (top right).
    corners = [(0.32, 0.35), (0.68, 0.35), (0.68, 0.9), (0.32, 0.9)]
    _click_points(page, corners)
    page.mouse.click(*_map_point(page, *corners[0]))  # back on the first corner closes the shape
    rows = page.locator("#tool-box .count-row")
    rows.first.wait_for()
    assert rows.count() == int(page.locator("#map-panel").get_attribute("data-layers-loaded"))
    latlngs = _latlngs(page, corners)
    ring = [[round(p["lng"], 6), round(p["lat"], 6)] for p in latlngs]
    ring.append(ring[0])
    area = GEOSGeometry(f'{{"type": "Polygon", "coordinates": [{ring}]}}', srid=4326)
    inside = ConstructionPermit.objects.public().filter(point__intersects=area).count()
    assert inside > 0
    permits = page.locator("#tool-box .count-row[data-layer='construction-permits'] .count-total")
    assert _number(permits.inner_text()) == inside
    shot(page, "count")


def test_a_shape_mostly_outside_tbilisi_is_refused_with_the_reason(live, open_context, shot):
    # West of the city's edge: the hills beyond Tbilisi fill most of the view.
    page = _open_map(open_context(locale="ka-GE").new_page(), live.url + "/ka/#13/41.72000/44.55000")
    page.click(".map-tools [data-tool=count]")
    corners = [(0.32, 0.35), (0.68, 0.35), (0.68, 0.9), (0.32, 0.9)]
    _click_points(page, corners)
    page.mouse.click(*_map_point(page, *corners[0]))
    refused = page.locator("#tool-box .count-refused")
    refused.wait_for()
    assert "თბილისის ფარგლებში" in refused.inner_text()
    assert page.locator("#tool-box .count-row").count() == 0
    shot(page, "count-refused-ka")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_it_searches_for_a_place_with_the_keyboard_and_flies_there(live, open_context, shot, phone):
    load_places(read_places(DEMO_FILE), source="demo", is_demo=True)
    page = _open_map(open_context(phone=phone, locale="en-GB").new_page(), live.url + "/en/")
    search = page.locator("#map-search-input")
    search.focus()
    page.keyboard.type("Rustaveli")
    option = page.locator("#map-search-results [role=option]").first
    option.wait_for()
    assert search.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    assert search.get_attribute("aria-activedescendant") == option.get_attribute("id")
    label = option.locator(".search-label").inner_text()
    shot(page, "results")
    page.keyboard.press("Enter")
    page.wait_for_function("smartmap.map.getZoom() >= 16")
    page.wait_for_selector(".search-hit")
    centre = page.evaluate("smartmap.map.getCenter()")
    assert abs(centre["lat"] - 41.6985) < 0.003 and abs(centre["lng"] - 44.7988) < 0.003
    assert search.input_value() == label
    shot(page, "found")


def test_it_copies_the_link_to_the_view(live, open_context):
    context = open_context(locale="en-GB", permissions=["clipboard-read", "clipboard-write"])
    page = _open_map(context.new_page(), live.url + "/en/#14/41.70000/44.80000")
    page.click(".map-tools [data-tool=link]")
    page.wait_for_selector("#map-announce:not([hidden])")
    assert "copied" in page.locator("#map-announce").inner_text()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "#14/41.7" in copied
