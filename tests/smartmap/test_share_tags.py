"""Every public page carries its Open Graph and Twitter card tags and plain share links (smartmap.sharing).

One include (templates/_share.html) renders both, on the thread, item, project, report, public
profile, statistics, response-record and forum pages, in Georgian and English. The image is
absolute: the place's picture (places.share_image) where the page has a place, else the portal's.
Share links are the networks' plain share addresses with every value percent-encoded; no page loads
a script from another host.
"""

import re
from html import unescape
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point
from PIL import Image

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category
from layers.demo import load_demo
from layers.models import InfrastructureProject
from tests.factories import UserFactory
from tests.forum.conftest import placed, start_thread
from tests.layers.factories import permit

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
PORTAL_IMAGE = f"{BASE}/static/img/share.png"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def meta(body: str) -> dict:
    found = {}
    for tag in re.findall(r"<meta [^>]+>", body):
        key = re.search(r'(?:property|name)="([^"]+)"', tag)
        value = re.search(r'content="([^"]*)"', tag)
        if key and value:
            found[key.group(1)] = unescape(value.group(1))
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', body)
    found["canonical"] = canonical and unescape(canonical.group(1))
    return found


def share_links(body: str) -> dict:
    section = body[body.index('<section class="share"') :]
    section = section[: section.index("</section>")]
    return {unescape(name): unescape(href) for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', section)}


def reporter_report():
    report, _ = do_submit_report(
        NewReport(
            category=Category.objects.get(slug="lamp-out"),
            point=Point(44.7560, 41.7105, srid=4326),
            description="ნათურა არ ანათებს",
            email="nino@example.ge",
        ),
        confirmed=True,
    )
    return report


def pages():
    """(name, path without language, og:title in en, has a place)."""
    item = permit(title="Residential house, Chavchavadze Ave.")
    load_demo("projects", 1, seed=3)
    project = InfrastructureProject.objects.public().first()
    author = UserFactory(verified=True, display_name="Tamar")
    thread = start_thread(author, title="Plane trees & the avenue", place=placed())
    report = reporter_report()
    return [
        ("item", f"/layers/construction-permits/{item.pk}/", item.title, True),
        ("project", f"/projects/{project.slug}/", project.title, True),
        ("thread", f"/forum/t/{thread.pk}/", thread.title, True),
        ("report", f"/reports/{report.reference}/", None, True),
        ("profile", f"/people/{author.pk}/", "Tamar", False),
        ("forum", "/forum/", "Tbilisi Forum", False),
        ("statistics", "/statistics/", "Statistics", False),
        ("record", "/statistics/response/", "How City Hall responds", False),
    ]


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_every_public_page_carries_its_tags_and_links(client, lang):
    for name, path, title, has_place in pages():
        url = f"/{lang}{path}"
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        tags = meta(body)
        assert tags["og:url"] == tags["canonical"] == f"{BASE}{url}", name
        if title and lang == "en":
            assert tags["og:title"] == tags["twitter:title"] == title, name
        assert tags["og:title"] and tags["og:description"] and tags["twitter:description"], name
        assert tags["og:locale"] == ("ka_GE" if lang == "ka" else "en_GB")
        assert tags["twitter:card"] == "summary_large_image"
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image"] == tags["twitter:image"] and tags["og:image:alt"], name
        if has_place:
            assert re.fullmatch(rf"{BASE}/media/share/[0-9a-f]{{2}}/[0-9a-f]{{32}}\.png", tags["og:image"]), name
        else:
            assert tags["og:image"] == PORTAL_IMAGE, name
        links = share_links(body)
        assert set(links) == {"Facebook", "X", "Telegram", "WhatsApp", "Email" if lang == "en" else "ელ. ფოსტა"}, name
        assert 'class="share-copy" data-copy="' + f"{BASE}{url}" in body
        for script in re.findall(r'<script[^>]+src="([^"]+)"', body):
            assert script.startswith("/"), f"{name} loads {script}"


def test_share_links_are_the_networks_plain_addresses_url_encoded(client):
    author = UserFactory(verified=True)
    thread = start_thread(author, title="Trees & benches? 100% — ხეები", place=placed())
    body = client.get(f"/en/forum/t/{thread.pk}/?page=1").content.decode()
    links = share_links(body)
    page = f"{BASE}/en/forum/t/{thread.pk}/"  # the canonical address, without the page's query
    for name, host, param in (
        ("Facebook", "www.facebook.com", "u"),
        ("X", "x.com", "url"),
        ("Telegram", "t.me", "url"),
    ):
        parts = urlsplit(links[name])
        assert parts.scheme == "https" and parts.netloc == host, name
        assert parse_qs(parts.query)[param] == [page]
        if name != "Facebook":  # the title travels whole, "&" and "?" included
            assert parse_qs(parts.query)["text"] == ["Trees & benches? 100% — ხეები"]
    assert "text=Trees%20%26%20benches%3F%20100%25%20%E2%80%94%20" in links["X"]
    assert parse_qs(urlsplit(links["WhatsApp"]).query)["text"] == [f"Trees & benches? 100% — ხეები {page}"]
    mail = urlsplit(links["Email"])
    assert mail.scheme == "mailto" and mail.path == ""
    assert parse_qs(mail.query)["subject"] == ["Trees & benches? 100% — ხეები"]
    assert parse_qs(mail.query)["body"][0].endswith(page)
    for a in re.findall(r'<a href="https://[^"]+"[^>]*>', body[body.index('<section class="share"') :]):
        if "facebook" in a or "x.com" in a or "t.me" in a or "wa.me" in a:
            assert 'rel="noopener noreferrer"' in a and "utm_" not in a


def test_pages_without_a_share_of_their_own_get_the_portals(client):
    tags = meta(client.get("/en/").content.decode())
    assert tags["og:title"] == "Smart Map Tbilisi" and tags["og:image"] == PORTAL_IMAGE
    assert tags["og:url"] == f"{BASE}/en/"


def test_the_portals_picture_is_a_1200_by_630_png(client):
    from django.conf import settings

    with open(settings.BASE_DIR / "static" / "img" / "share.png", "rb") as f:
        image = Image.open(BytesIO(f.read()))
    assert image.format == "PNG" and image.size == (1200, 630)
