"""The map's "statistics for this area" with a shape too long for a URL: simplified to fit, or refused saying why."""

import json
import math
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import GEOSGeometry

pytestmark = pytest.mark.browser
LINK = "(shape) => smartmap.tools.statisticsLink(shape, smartmap.layers.layers)"


def _map(page, url):
    page.goto(url)
    page.wait_for_selector("#map[data-ready='true']")
    return page


def test_a_shape_of_many_corners_is_simplified_to_fit_the_link(live, open_context):
    page = _map(open_context(locale="en-GB").new_page(), f"{live.url}/en/#13/41.69500/44.80000")
    # A circle of 900 corners around the old town: about 27,000 characters as drawn.
    ring = [
        [
            round(44.80 + 0.01 * math.cos(2 * math.pi * i / 900), 6),
            round(41.695 + 0.007 * math.sin(2 * math.pi * i / 900), 6),
        ]
        for i in range(900)
    ]
    circle = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    link = page.evaluate(
        f"(shape) => {{ const p = ({LINK})(shape); return [p.querySelector('a').href, p.textContent]; }}", circle
    )
    href, text = link
    assert len(urlsplit(href).query) < 8000 - 200  # the request line gunicorn takes (gunicorn.conf.py)
    assert "simplified to" in text
    fitted = json.loads(parse_qs(urlsplit(href).query)["area"][0])
    assert 4 <= len(fitted["coordinates"][0]) <= 500
    assert GEOSGeometry(json.dumps(fitted)).area == pytest.approx(GEOSGeometry(json.dumps(circle)).area, rel=0.02)
    page.goto(href)
    page.wait_for_selector("#stats-table")
    assert page.locator("#stats-problems").count() == 0


def test_a_long_shape_that_cannot_be_simplified_is_refused_in_georgian(live, open_context):
    page = _map(open_context(phone=True).new_page(), f"{live.url}/ka/#13/41.69500/44.80000")
    # A zigzag closed back to its start crosses itself, drawn or simplified.
    zigzag = [[44.79 + 0.02 * i / 600, 41.69 + (0.01 if i % 2 else 0)] for i in range(600)]
    text = page.evaluate(
        f"(shape) => ({LINK})(shape).textContent", {"type": "Polygon", "coordinates": [[*zigzag, zigzag[0]]]}
    )
    assert text.startswith("ამ ფიგურას სტატისტიკაში გასახსნელად ძალიან ბევრი კუთხე აქვს")
