"""The share picture of a place: 1200×630 PNG, drawn once per geometry, redrawn when the place moves."""

import re
from io import BytesIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.gis.geos import Point, Polygon
from PIL import Image

from places import share_image
from tests.forum.conftest import placed, start_thread
from tests.layers.factories import permit

pytestmark = pytest.mark.django_db
ARTIFACTS = Path("test-artifacts")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def og_image(client, path):
    body = client.get(path).content.decode()
    return re.search(r'<meta property="og:image" content="([^"]+)"', body).group(1)


def fetch_png(client, url) -> Image.Image:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(BytesIO(data))


def test_it_draws_the_place_once_and_serves_it_at_a_stable_address(client):
    item = permit()
    with mock.patch.object(share_image, "draw", wraps=share_image.draw) as drawing:
        first = og_image(client, f"/en/layers/construction-permits/{item.pk}/")
        second = og_image(client, f"/ka/layers/construction-permits/{item.pk}/")
    assert first == second  # one picture for both languages: it has no words
    assert drawing.call_count == 1, "the second page view drew again"
    image = fetch_png(client, first)
    assert image.size == (1200, 630) and image.mode == "RGB"
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "share-permit-point.png")


def test_a_moved_place_gets_a_new_picture(client):
    item = permit()
    before = og_image(client, f"/en/layers/construction-permits/{item.pk}/")
    item.geom = item.point = Point(44.8015, 41.6934, srid=4326)
    item.save()
    after = og_image(client, f"/en/layers/construction-permits/{item.pk}/")
    assert after != before
    assert fetch_png(client, after).size == (1200, 630)


def test_an_area_is_drawn_on_its_district(client):
    from forum.input import Place
    from places.models import District

    area = Polygon(((44.79, 41.69), (44.805, 41.688), (44.81, 41.70), (44.795, 41.703), (44.79, 41.69)), srid=4326)
    thread = start_thread(
        _author(), title="Rike park", place=Place("area", area, District.objects.for_point(area.point_on_surface))
    )
    image = fetch_png(client, og_image(client, f"/en/forum/t/{thread.pk}/"))
    assert image.size == (1200, 630)
    # The area's tint is on the picture: some pixels are the place's red over white.
    colours = {image.getpixel((x, y)) for x in range(0, 1200, 6) for y in range(0, 630, 6)}
    assert any(r > 200 and g < 120 and b < 120 for r, g, b in colours)
    image.save(ARTIFACTS / "share-thread-area.png")


def test_a_district_place_is_drawn_as_the_district(client):
    from forum.input import Place
    from places.models import District

    district = District.objects.get(number=1)
    thread = start_thread(_author(), title="Our district", place=Place("district", district.geom, district))
    image = fetch_png(client, og_image(client, f"/en/forum/t/{thread.pk}/"))
    assert image.size == (1200, 630)
    image.save(ARTIFACTS / "share-thread-district.png")


def test_a_thread_without_a_place_gets_the_portals_picture(client):
    thread = start_thread(_author(), title="A general question")
    assert og_image(client, f"/en/forum/t/{thread.pk}/") == "http://testserver/static/img/share.png"
    placed_thread = start_thread(_author(), title="A placed question", place=placed())
    assert "/media/share/" in og_image(client, f"/en/forum/t/{placed_thread.pk}/")


def test_the_file_is_written_whole_or_not_at_all(media):
    item = permit()
    name = share_image.ensure(item.geom, item.district)
    files = list(Path(media).rglob("*"))
    assert [f.name for f in files if f.is_file()] == [name.rsplit("/", 1)[-1]], "a temporary file was left behind"


_n = iter(range(10_000))


def _author():
    from tests.forum.conftest import established

    return established(email=f"share{next(_n)}@example.ge")
