"""Every refusal of the Open311 endpoint, in both formats, in the spec's error list with its status."""

import pytest

from fixtracker.models import Block, Category, Open311Key, Report
from fixtracker.submission import PER_HOUR
from tests.fixtracker.conftest import jpeg_bytes, upload
from tests.fixtracker.test_open311 import FORMATS, assert_error, fields, url

pytestmark = pytest.mark.parametrize("fmt", FORMATS)

BATUMI = {"lat": "41.6415", "long": "41.6359"}  # the seafront: far outside Tbilisi


@pytest.fixture
def city_app(db):
    return Open311Key.issue("Tbilisi 311", trusted=True)[1]


@pytest.fixture
def civic_app(db):
    return Open311Key.issue("Civic App")[1]


def post(client, fmt, data, **extra):
    return client.post(url("requests", fmt), data, HTTP_ACCEPT_LANGUAGE="en", **extra)


def test_a_post_without_an_api_key_is_forbidden(client, db, fmt):
    assert "api_key" in assert_error(post(client, fmt, fields()), fmt, 403)
    assert not Report.objects.exists()


def test_a_wrong_or_retired_api_key_is_forbidden(client, city_app, fmt):
    assert_error(post(client, fmt, fields(api_key="not-a-key")), fmt, 403)
    Open311Key.objects.update(active=False)
    assert_error(post(client, fmt, fields(api_key=city_app)), fmt, 403)
    assert not Report.objects.exists()


def test_the_api_key_is_checked_before_anything_else(client, db, fmt):
    assert_error(post(client, fmt, {"service_code": "nope"}), fmt, 403)


def test_a_missing_or_unknown_service_code(client, city_app, fmt):
    assert "service_code" in assert_error(post(client, fmt, fields(api_key=city_app, service_code=None)), fmt, 400)
    description = assert_error(post(client, fmt, fields(api_key=city_app, service_code="potholes")), fmt, 400)
    assert "potholes" in description
    Category.objects.filter(slug="pruning").update(active=False)
    assert_error(post(client, fmt, fields(api_key=city_app, service_code="pruning")), fmt, 400)


def test_an_unknown_service_definition_is_not_found(client, db, fmt):
    assert "potholes" in assert_error(client.get(url("services/potholes", fmt)), fmt, 404)


def test_a_location_is_required_an_address_is_not_enough(client, city_app, fmt):
    response = post(client, fmt, fields(api_key=city_app, lat=None, long=None, address_string="რუსთაველის 1"))
    assert "lat" in assert_error(response, fmt, 400)
    assert_error(post(client, fmt, fields(api_key=city_app, lat="north", long="44.75")), fmt, 400)
    assert not Report.objects.exists()


def test_a_place_outside_tbilisi_is_refused(client, city_app, fmt):
    description = assert_error(post(client, fmt, fields(api_key=city_app, **BATUMI)), fmt, 400)
    assert description.startswith("lat/long: ") and "outside Tbilisi" in description


def test_an_answer_outside_the_offered_values_is_refused(client, city_app, fmt):
    data = fields(api_key=city_app, service_code="fallen-tree", **{"attribute[blocking]": "maybe"})
    assert assert_error(post(client, fmt, data), fmt, 400).startswith("attribute[blocking]: ")


def test_a_required_attribute_must_be_given(client, city_app, fmt):
    tree = Category.objects.get(slug="fallen-tree")
    tree.questions[0]["required"] = True
    tree.save()
    data = fields(api_key=city_app, service_code="fallen-tree")
    assert "attribute[blocking]" in assert_error(post(client, fmt, data), fmt, 400)
    assert post(client, fmt, {**data, "attribute[blocking]": "no"}).status_code == 201


def test_a_media_url_is_refused_politely(client, city_app, fmt):
    data = fields(api_key=city_app, media_url="https://example.com/lamp.jpg")
    assert "media" in assert_error(post(client, fmt, data), fmt, 400)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"not a photo at all", jpeg_bytes() + b"PK\x03\x04 a zip after the image", jpeg_bytes()[:200]],
    ids=["text", "polyglot", "truncated"],
)
def test_a_bad_media_file_is_refused(client, city_app, fmt, content):
    response = post(client, fmt, {**fields(api_key=city_app), "media": upload(content, name="lamp.jpg")})
    assert assert_error(response, fmt, 400).startswith("media: lamp.jpg: ")
    assert not Report.objects.exists()


def test_a_blocked_reporter_is_forbidden(client, city_app, fmt):
    Block.objects.create(email="tamar@example.ge", reason="abuse")
    assert "blocked" in assert_error(post(client, fmt, fields(api_key=city_app)), fmt, 403)


def test_an_email_is_required(client, civic_app, fmt):
    assert assert_error(post(client, fmt, fields(api_key=civic_app, email="tamar")), fmt, 400).startswith("email: ")


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2025-05-01"},
        {"end_date": "2025-05-01T00:00:00"},  # no timezone
        {"start_date": "2025-05-02T00:00:00Z", "end_date": "2025-05-01T00:00:00Z"},
        {"status": "pending"},
        {"status": "open,resolved"},
        {"page": "0"},
        {"page": "two"},
        {"page": "-1"},
        {"page_size": "0"},
        {"page_size": "1001"},
        {"page_size": "²"},
        {"extensions": "maybe"},
    ],
    ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()),
)
def test_a_malformed_filter_is_a_bad_request(client, db, fmt, params):
    name = next(iter(params))
    assert name.split("_")[0] in assert_error(client.get(url("requests", fmt), params), fmt, 400)


def test_an_unknown_request_or_token_is_not_found(client, submit, fmt):
    unconfirmed = submit(confirmed=False)
    assert_error(client.get(url("requests/TB-999999", fmt)), fmt, 404)
    assert_error(client.get(url(f"requests/{unconfirmed.reference}", fmt)), fmt, 404)
    assert_error(client.get(url("tokens/forged-token", fmt)), fmt, 404)


def test_an_unknown_resource_or_method(client, db, fmt):
    assert_error(client.get(url("statistics", fmt)), fmt, 404)
    response = client.put(url("requests", fmt))
    assert_error(response, fmt, 405)
    assert response["Allow"] == "GET, HEAD, POST"
    assert_error(client.post(url("services", fmt)), fmt, 405)


def test_an_application_speaks_for_many_residents_from_one_address(client, civic_app, fmt):
    # An app's server files for many people: its address is not limited like one phone's...
    for n in range(PER_HOUR["ip"] + 2):
        assert post(client, fmt, fields(api_key=civic_app, email=f"resident{n}@example.ge")).status_code == 201


def test_too_many_reports_from_one_resident_are_refused_for_a_while(client, civic_app, fmt):
    # ...but one resident's address is, however they send.
    for _ in range(PER_HOUR["email"]):
        assert post(client, fmt, fields(api_key=civic_app, email="busy@example.ge")).status_code == 201
    refused = post(client, fmt, fields(api_key=civic_app, email="busy@example.ge"))
    assert "try again later" in assert_error(refused, fmt, 429)
    assert 0 < int(refused["Retry-After"]) <= 3600  # when one more fits, as the JSON API says
