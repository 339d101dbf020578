"""Leaflet's zoom buttons speak the page's language on every map, not Leaflet's English."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "zoom_in", "zoom_out"), [("ka", "გადიდება", "დაპატარავება"), ("en", "Zoom in", "Zoom out")])
def test_every_maps_zoom_buttons_are_in_the_pages_language(live, site_content, open_context, lang, zoom_in, zoom_out):
    page = open_context(locale="en-GB").new_page()
    for path in ("/", "/report/", "/subscribe/", f"/layers/construction-permits/{site_content.permit.pk}/"):
        page.goto(f"{live.url}/{lang}{path}")
        page.wait_for_selector(".leaflet-control-zoom-in")
        assert page.locator(".leaflet-control-zoom-in").first.get_attribute("title") == zoom_in, path
        assert page.locator(".leaflet-control-zoom-out").first.get_attribute("title") == zoom_out, path
