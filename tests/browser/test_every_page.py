"""Every page (site_pages.PAGES), in both languages: no sideways scrolling at any common width, and
no Mtavruli (Georgian capitals, which Georgian text never uses) anywhere in what the browser shows."""

import re

import pytest

from tests.browser.site_pages import PAGES, open_as

pytestmark = pytest.mark.browser

WIDTHS = (360, 768, 1280, 1366, 1600)
MTAVRULI = re.compile("[\u1c90-\u1cbf]+")


def _walk(open_context, live, content, lang, visit):
    """visit(page, site_page) for every page, signed in as its page needs."""
    tabs = {}
    for site_page in PAGES:
        if site_page.who not in tabs:
            tabs[site_page.who] = open_as(open_context, live, content, site_page.who, locale=f"{lang}-GE")
        tab = tabs[site_page.who]
        tab.goto(live.url + site_page.url(content, lang))
        tab.wait_for_selector(site_page.ready)
        visit(tab, site_page)


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_no_page_scrolls_sideways_at_any_common_width(live, site_content, open_context, lang):
    too_wide = []

    def measure(tab, site_page):
        for width in WIDTHS:
            tab.set_viewport_size({"width": width, "height": 800})
            tab.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            scroll = tab.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide.append(f"{site_page.name} at {width}px is {scroll}px wide")

    _walk(open_context, live, site_content, lang, measure)
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_no_page_shows_mtavruli(live, site_content, open_context, lang):
    found = []

    def scan(tab, site_page):
        html = tab.content()
        for match in MTAVRULI.finditer(html):
            found.append(f"{site_page.name}: …{html[max(0, match.start() - 40):match.end() + 20]}…")

    _walk(open_context, live, site_content, lang, scan)
    assert not found, "\n".join(found)
