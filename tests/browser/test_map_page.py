"""The map page, in both languages, on a desktop and on a 360 px phone."""

import pytest

pytestmark = pytest.mark.browser


def _open_map(page, url):
    page.goto(url)
    page.wait_for_selector("#map[data-districts-loaded='10']")
    return page


def test_it_redirects_to_georgian_by_default_and_shows_the_ten_districts(live, open_context, shot):
    page = open_context(locale="ka-GE").new_page()
    _open_map(page, live.url + "/")
    assert page.url.endswith("/ka/")
    assert page.locator("html").get_attribute("lang") == "ka"
    assert page.locator("path.district-shape").count() == 10
    assert "რუკა" in page.title()
    shot(page, "desktop-ka")


def test_it_follows_an_english_browser_to_english(live, open_context, shot):
    page = open_context(locale="en-GB").new_page()
    _open_map(page, live.url + "/")
    assert page.url.endswith("/en/")
    assert page.title() == "Smart Map Tbilisi"
    assert page.locator("path.district-shape").count() == 10
    shot(page, "desktop-en")


def test_it_credits_openstreetmap_for_the_districts_even_without_tiles(live, open_context, shot):
    for lang, phone in (("ka", True), ("en", False)):
        page = open_context(phone=phone).new_page()
        _open_map(page, f"{live.url}/{lang}/")
        credit = page.locator(".leaflet-control-attribution .district-credit")
        assert credit.inner_text() == "© OpenStreetMap contributors"
        assert credit.is_visible()
        shot(page, f"district-credit-{lang}")


def test_it_fits_a_phone_without_horizontal_scrolling(live, open_context, shot):
    for lang in ("ka", "en"):
        page = open_context(phone=True).new_page()
        _open_map(page, f"{live.url}/{lang}/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{lang}: page is {width}px wide on a 360px screen"
        assert page.locator(".locate-button").is_visible()
        assert page.locator(".leaflet-control-zoom").is_visible()
        shot(page, f"phone-{lang}")


def test_it_switches_language_and_stays_on_the_page(live, open_context):
    page = open_context().new_page()
    _open_map(page, live.url + "/ka/")
    page.click("button[data-lang='en']")
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button[data-lang='ka']")
    page.wait_for_url("**/ka/")


def test_it_still_shows_the_districts_when_tiles_cannot_load(live, open_context, shot):
    page = open_context().new_page()
    _open_map(page, live.url + "/en/")
    # Every tile request was aborted by the fixture: the page says so and the districts are there.
    page.wait_for_selector(".map-status:not([hidden])")
    assert "base map is unavailable" in page.locator(".map-status").inner_text()
    assert page.locator("path.district-shape").count() == 10


def test_it_locates_the_user(live, open_context):
    context = open_context(geolocation={"latitude": 41.6938, "longitude": 44.8015}, permissions=["geolocation"])
    page = context.new_page()
    _open_map(page, live.url + "/en/")
    page.click(".locate-button")
    page.wait_for_function("window.smartmap.map.getZoom() >= 15")
    centre = page.evaluate("window.smartmap.map.getCenter()")
    assert abs(centre["lat"] - 41.6938) < 0.01 and abs(centre["lng"] - 44.8015) < 0.01
