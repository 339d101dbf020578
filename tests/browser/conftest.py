"""Playwright driving Debian's Chromium (/usr/bin/chromium, installed by `make test`).

No browser is downloaded. Every request to a host other than the live server is aborted at once,
so map tiles fail fast, as they would on a closed network, and nothing leaves the machine.
Screenshots of each page a test looks at go to test-artifacts/ for people to look at too.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("SMARTMAP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
LOCAL = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser, request):
    """open_context(phone=False, locale="ka-GE", **playwright options) -> a new browser context."""
    contexts = []

    def open_(phone: bool = False, locale: str = "ka-GE", **options):
        context = browser.new_context(locale=locale, **(PHONE if phone else DESKTOP), **options)
        context.set_default_timeout(15_000)
        context.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)(:\d+)?/).*"), lambda route: route.abort())
        contexts.append(context)
        return context

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request):
    """shot(page, "name"): save a full-page screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=False)

    return take


@pytest.fixture
def live(live_server, tbilisi):
    """The live server with the Tbilisi reference data in its (transactional) database."""
    return live_server


@pytest.fixture
def site_content(live):
    """One object of every kind the pages of site_pages.PAGES show."""
    from tests.browser.site_pages import build_site_content

    return build_site_content()
