"""GET /api/v1/search/?q=: the map's search box, forgiving about script and case."""

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import LineString, Point

from layers.models import ConstructionPermit, GazetteerEntry
from places.models import District
from smartmap.lib.translit import search_form

URL = "/api/v1/search/"


@pytest.fixture
def rustaveli(db):
    line = LineString((44.7930, 41.6938), (44.8010, 41.7010), srid=4326)
    return GazetteerEntry.objects.create(
        kind="street",
        name_ka="რუსთაველის გამზირი",
        name_en="Rustaveli Avenue",
        search_text=search_form("რუსთაველის გამზირი", "Rustaveli Avenue"),
        geom=line,
        district=District.objects.get(slug="mtatsminda"),
        source="test",
    )


def make_permit(reference, title="საცხოვრებელი სახლი", codes=(), withdrawn=False):
    point = Point(44.7930, 41.6938, srid=4326)
    return ConstructionPermit.objects.create(
        reference=reference,
        title=title,
        address="რუსთაველის გამზ. 12",
        status="issued",
        status_since=datetime(2025, 3, 1, tzinfo=UTC),
        geom=point,
        point=point,
        cadastral_codes=list(codes),
        external_id=reference,
        withdrawn_at=datetime(2025, 4, 1, tzinfo=UTC) if withdrawn else None,
    )


def labels(response, kind=None):
    assert response.status_code == 200, response.content
    return [r["label"] for r in response.json() if kind is None or r["type"] == kind]


@pytest.mark.parametrize(
    "q", ["rustaveli", "Rustaveli", "RUSTAVELI", "რუსთაველი", "Rustaveli Avenue", "რუსთაველის გამზ"]
)
def test_it_finds_a_street_in_any_script(client, rustaveli, q):
    results = client.get(URL, {"q": q}, HTTP_ACCEPT_LANGUAGE="en").json()
    place = next(r for r in results if r["type"] == "place" and r["label"] == "Rustaveli Avenue")
    assert place["sublabel"] == "street · Mtatsminda"
    assert place["bbox"] == [44.793, 41.6938, 44.801, 41.701]
    assert 44.79 <= place["lon"] <= 44.81 and 41.69 <= place["lat"] <= 41.71


def test_it_labels_places_in_georgian_for_georgian_readers(client, rustaveli):
    assert labels(client.get(URL, {"q": "rustaveli"}, HTTP_ACCEPT_LANGUAGE="ka"), "place") == ["რუსთაველის გამზირი"]


def test_it_finds_districts_too(client, db):
    results = client.get(URL, {"q": "vake"}, HTTP_ACCEPT_LANGUAGE="en").json()
    vake = next(r for r in results if r["label"] == "Vake")
    assert vake["type"] == "place" and len(vake["bbox"]) == 4
    assert labels(client.get(URL, {"q": "ვაკე"}, HTTP_ACCEPT_LANGUAGE="en"), "place")[0] == "Vake"


def test_it_finds_an_item_by_reference_prefix_in_any_case(client, db):
    permit = make_permit("N-2019-117")
    make_permit("N-2019-1170")
    results = client.get(URL, {"q": "n-2019-117"}).json()
    assert [r["label"] for r in results[:2]] == ["N-2019-117", "N-2019-1170"]  # the exact one first
    first = results[0]
    assert first["type"] == "item" and first["layer"] == "construction-permits" and first["id"] == permit.pk
    assert first["url"] == f"/ka/layers/construction-permits/{permit.pk}/"
    assert (first["lon"], first["lat"]) == (44.7930, 41.6938)


def test_it_finds_a_permit_by_cadastral_code(client, db):
    make_permit("N-2024-001", codes=["01.10.13.002.001", "01.10.13.002.002"])
    assert labels(client.get(URL, {"q": "01.10.13.002.002"}), "item") == ["N-2024-001"]


def test_it_finds_items_by_words_in_their_text(client, db):
    make_permit("N-2025-010", title="სასტუმრო კომპლექსი")
    results = client.get(URL, {"q": "სასტუმრო"}).json()
    assert [r["label"] for r in results if r["type"] == "item"] == ["N-2025-010"]
    assert "სასტუმრო კომპლექსი" in results[0]["sublabel"]


def test_it_never_finds_withdrawn_items(client, db):
    make_permit("N-2020-500", withdrawn=True)
    assert labels(client.get(URL, {"q": "N-2020-500"})) == []


def test_it_returns_at_most_ten_results(client, db):
    for k in range(15):
        make_permit(f"N-2030-{k:03d}", title="ავტოსადგომი")
    assert len(client.get(URL, {"q": "ავტოსადგომი"}).json()) == 10
    assert len(client.get(URL, {"q": "N-2030"}).json()) <= 10


@pytest.mark.parametrize("q", ["", "a", " b ", "x" * 101])
def test_it_wants_2_to_100_characters(client, db, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["errors"]["q"]


def test_it_needs_a_query(client, db):
    assert client.get(URL).status_code == 400


def test_it_asks_a_configured_geocoder_when_the_gazetteer_knows_nothing(client, db, settings):
    import http.server
    import json
    import threading

    asked = []

    class Nominatim(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            body = json.dumps(
                [{"display_name": "ბახტრიონის ქუჩა 12, ვაკე, თბილისი", "lat": "41.7201", "lon": "44.7602"}]
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Nominatim)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SEARCH_GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search"
    try:
        results = client.get("/api/v1/search/", {"q": "ბახტრიონის 12"}).json()
    finally:
        server.shutdown()
    assert results[-1] == {
        "type": "place",
        "label": "ბახტრიონის ქუჩა 12",
        "sublabel": "ვაკე, თბილისი",
        "lon": 44.7602,
        "lat": 41.7201,
        "source": "geocoder",
    }
    assert "bounded=1" in asked[0] and "viewbox=" in asked[0]


def test_a_geocoder_that_is_down_never_breaks_search(client, db, settings):
    settings.SEARCH_GEOCODER_URL = "http://127.0.0.1:1/search"  # nothing listens there
    response = client.get("/api/v1/search/", {"q": "სადღაც"})
    assert response.status_code == 200 and response.json() == []


def test_without_a_geocoder_search_stays_offline(client, db, settings):
    settings.SEARCH_GEOCODER_URL = ""
    assert client.get("/api/v1/search/", {"q": "სადღაც"}).json() == []
