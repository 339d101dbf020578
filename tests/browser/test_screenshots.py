"""Screenshots of the pages people meet first, at 360 and 1366 px in both languages, for people to
look at: test-artifacts/screens/<page>-<lang>-<width>.png. The pages come from site_pages.PAGES."""

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.site_pages import PAGES, open_as

pytestmark = pytest.mark.browser

SHOWN = ("map", "report-form", "subscribe", "report", "profile", "staff-queue", "staff-report")


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("lang", ["ka", "en"])
def test_it_photographs_the_main_pages(live, site_content, open_context, lang, width):
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    options = PHONE if width == 360 else {"viewport": {"width": 1366, "height": 800}}
    tabs = {}
    for site_page in (p for p in PAGES if p.name in SHOWN):
        if site_page.who not in tabs:
            tabs[site_page.who] = open_as(open_context, live, site_content, site_page.who, locale=f"{lang}-GE")
        tab = tabs[site_page.who]
        tab.set_viewport_size(options["viewport"])
        tab.goto(live.url + site_page.url(site_content, lang))
        tab.wait_for_selector(site_page.ready)
        tab.wait_for_timeout(300)  # the map's first layers and fonts settle
        path = folder / f"{site_page.name}-{lang}-{width}.png"
        tab.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
