"""The address beats the cookie: after using English once, a /ka/ map speaks Georgian throughout.

The language cookie (set by the EN/KA switch) once decided what the map's API requests answered in,
so a /ka/ page showed English layer names, statuses, districts and popups. Now every request the page
makes is answered in the page's language (smartmap/language.py).
"""

import re

import pytest
from django.utils import translation

from layers.demo import load_demo
from layers.models import ConstructionPermit
from layers.registry import get_layer
from places.models import District

pytestmark = pytest.mark.browser

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _api_requests(page):
    seen = []
    page.on("request", lambda request: "/api/" in request.url and seen.append(request))
    return seen


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_georgian_map_speaks_georgian_after_english_was_chosen(live, open_context, shot, phone):
    load_demo("construction-permits", 20, seed=5)
    permit = ConstructionPermit.objects.public().order_by("id").first()
    layer = get_layer("construction-permits")
    with translation.override("ka"):
        layer_name, status = str(layer.name), str(layer.status_label(permit.status))
        districts = sorted(str(d.name) for d in District.objects.all())

    context = open_context(phone=phone, locale="en-GB")  # the browser, too, prefers English
    page = context.new_page()
    page.goto(live.url + "/ka/")
    page.click(".lang-switch button[data-lang=en]")  # English once: the language cookie now says en
    page.wait_for_url("**/en/")
    assert any(c["name"] == "django_language" and c["value"] == "en" for c in context.cookies())

    requests = _api_requests(page)
    page.goto(live.url + f"/ka/#18/{permit.point.y:.6f}/{permit.point.x:.6f}&layers=construction-permits")
    page.wait_for_selector("#map[data-districts-loaded='10']")
    page.wait_for_selector(".leaflet-items-pane path.leaflet-interactive")

    # Districts, layer names and the legend.
    shown = sorted(page.evaluate("smartmap.districts.getLayers().map((l) => l.feature.properties.name)"))
    assert shown == districts
    row = page.locator(".layer-row[data-layer='construction-permits']")
    assert row.locator(".layer-name").inner_text() == layer_name
    if phone:
        page.click(".panel-toggle")
    row.locator("summary").click()
    legend = row.locator(".legend-item").all_inner_texts()
    assert legend and not [text for text in legend if LATIN_WORD.search(text)], legend
    if phone:
        page.click(".panel-toggle")

    # A popup.
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".item-popup .popup-link").wait_for()
    popup = page.locator(".item-popup").inner_text()
    assert layer_name in popup and status in popup, popup
    assert "/ka/" in page.locator(".item-popup .popup-link").get_attribute("href")
    shot(page, "phone-ka-after-en" if phone else "desktop-ka-after-en")

    # Every API request the page made said which page asked.
    assert requests
    for request in requests:
        asked = request.url + " " + (request.headers.get("referer") or "")
        assert "lang=ka" in asked or "/ka/" in asked, request.url
