"""The map's information layers: the panel and legend, vector tiles, popups, permalinks, failures."""

import re

import pytest

from layers.demo import load_demo
from layers.models import ConstructionPermit

pytestmark = pytest.mark.browser


@pytest.fixture
def permits(live):
    load_demo("construction-permits", 60, seed=7)
    return ConstructionPermit.objects.public()


def _open_map(page, url):
    page.goto(url)
    page.wait_for_selector("#map[data-districts-loaded='10']")
    page.wait_for_selector("#map-panel[data-layers-loaded]")
    return page


def _tile_requests(page):
    seen = []
    page.on("request", lambda request: "/tiles/" in request.url and seen.append(request.url))
    return seen


def test_it_toggles_a_layer_drawing_its_tiles_with_a_legend(live, permits, open_context, shot):
    page = open_context(locale="en-GB").new_page()
    tiles = _tile_requests(page)
    _open_map(page, live.url + "/en/")
    row = page.locator(".layer-row[data-layer='construction-permits']")
    assert row.locator(".layer-count").inner_text() == str(permits.count())
    row.locator("summary").click()
    legend = row.locator(".legend-item")
    assert legend.count() == len(ConstructionPermit.Status.choices)
    assert legend.first.locator(".dot").is_visible()

    row.locator("input[data-layer-toggle]").check()
    page.wait_for_selector(".layer-row[data-layer='construction-permits'][data-tiles='loaded']")
    assert any("/api/v1/layers/construction-permits/tiles/" in url for url in tiles)
    # Below the aggregation zoom the tiles hold counted cells, drawn as numbered circles.
    page.wait_for_selector(".leaflet-items-pane image")
    page.wait_for_function("location.hash.includes('layers=construction-permits')")
    shot(page, "desktop-en")

    row.locator("input[data-layer-toggle]").uncheck()
    page.wait_for_function("!document.querySelector('.leaflet-items-pane image')")
    page.wait_for_function("!location.hash.includes('layers=')")


def test_it_keeps_the_layers_in_a_closed_bottom_sheet_on_a_phone(live, permits, open_context, shot):
    page = open_context(phone=True).new_page()
    _open_map(page, live.url + "/ka/")
    panel = page.locator("#map-panel")
    # Closed by default: only its bar shows, the map keeps nearly all of the screen.
    assert panel.bounding_box()["height"] < 70
    assert not page.locator(".layer-row").first.is_visible()
    shot(page, "phone-closed")

    page.click(".panel-toggle")
    page.locator(".layer-row[data-layer='construction-permits'] input[data-layer-toggle]").check()
    page.wait_for_selector(".leaflet-items-pane image")
    assert panel.bounding_box()["height"] <= 740 * 0.65
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "phone-open")


def test_it_opens_a_popup_and_follows_it_to_the_item_page(live, permits, open_context, shot):
    for phone in (False, True):
        page = open_context(phone=phone, locale="ka-GE").new_page()
        permit = permits.order_by("id").first()
        # Zoomed in on the permit, above the aggregation zoom: single items, the permit in the middle.
        page.goto(live.url + f"/ka/#18/{permit.point.y:.6f}/{permit.point.x:.6f}&layers=construction-permits")
        page.wait_for_selector(".leaflet-items-pane path.leaflet-interactive")
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        link = page.locator(".item-popup .popup-link")
        link.wait_for()
        page.wait_for_function("getComputedStyle(document.querySelector('.item-popup')).opacity === '1'")
        popup = page.locator(".item-popup").inner_text()
        assert permit.reference in popup
        shot(page, "popup-phone" if phone else "popup-desktop")
        link.click()
        page.wait_for_url(f"**/ka/layers/construction-permits/{permit.pk}/")
        timeline = page.locator(".timeline li")
        timeline.first.wait_for()
        assert timeline.count() >= 1
        assert page.locator("h1").inner_text()
        page.wait_for_selector("#item-map[data-ready='true']")
        shot(page, "item-phone" if phone else "item-desktop")


def test_it_restores_the_view_and_layers_from_a_permalink(live, permits, open_context, shot):
    for phone in (False, True):
        page = open_context(phone=phone, locale="en-GB").new_page()
        tiles = _tile_requests(page)
        page.goto(live.url + "/en/#15/41.70000/44.79000&layers=construction-permits&status.construction-permits=issued")
        page.wait_for_selector(".layer-row[data-layer='construction-permits'][data-tiles='loaded']", state="attached")
        view = page.evaluate(
            "(() => { const c = smartmap.map.getCenter(); return [smartmap.map.getZoom(), c.lat, c.lng]; })()"
        )
        assert view[0] == 15 and abs(view[1] - 41.7) < 1e-4 and abs(view[2] - 44.79) < 1e-4
        row = page.locator(".layer-row[data-layer='construction-permits']")
        assert row.locator("input[data-layer-toggle]").is_checked()
        assert row.locator("input[data-filter=status][value=issued]").is_checked()
        assert not row.locator("input[data-filter=status][value=refused]").is_checked()
        assert tiles and all("status=issued" in url for url in tiles if "construction-permits" in url)
        shot(page, "phone" if phone else "desktop")

        # Moving the map and changing a filter rewrite the hash without adding history entries.
        length = page.evaluate("history.length")
        page.evaluate("smartmap.map.setView([41.71, 44.8], 16)")
        page.wait_for_function("location.hash.startsWith('#16/41.71')")
        if phone:
            page.click("#map-panel .panel-toggle")
        row.locator("input[data-filter=status][value=refused]").check()
        page.wait_for_function("location.hash.includes('status.construction-permits=issued,refused')")
        assert page.evaluate("history.length") == length


def test_it_keeps_the_districts_and_tools_when_the_layers_api_fails(live, open_context, shot):
    context = open_context(locale="en-GB")
    context.route(re.compile(r".*/api/v1/layers/.*"), lambda route: route.fulfill(status=503, body="down"))
    page = context.new_page()
    page.goto(live.url + "/en/")
    page.wait_for_selector("#map[data-districts-loaded='10']")
    page.wait_for_selector("#map-panel[data-layers-failed]")
    assert "could not be loaded" in page.locator(".panel-note").inner_text()
    page.click(".map-tools [data-tool=distance]")
    assert page.locator("#tool-box").is_visible()
    shot(page, "api-down")
