"""Hostile and careless input at the edges: each of these answered 500 once; now a clear 4xx.

The issue's list, one test per defect: JSON nested 20,000 levels, NUL bytes and control
characters in every kind of text, Unicode digits and overflowing numbers, extreme dates, bodies
that are not objects, bodies over the size limit. Every answer is the API's error shape (or
Open311's, or a page), and nothing is stored.
"""

import json

import pytest
from django.test import Client

from fixtracker.models import Report
from subscriptions.models import Subscription

FEATURES = "/api/v1/layers/construction-permits/features/"
TILE = "/api/v1/layers/construction-permits/tiles/12/2555/1531.mvt"
DEEP = "[" * 20_000 + "]" * 20_000
JSON_ENDPOINTS = [
    "/api/v1/reports/",
    "/api/v1/reports/{ref}/support/",
    "/api/v1/subscriptions/",
    "/api/v1/subscriptions/preview/",
    "/api/v1/layers/construction-permits/count/",
]


@pytest.fixture
def api(db):
    """A client that answers 500 instead of raising, as a real server would."""
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def public_report(submit):
    return submit(confirmed=True)


def assert_api_error(response, status=400, field=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str)
    if field:
        assert field in body["errors"]
    return body


@pytest.mark.parametrize("url", JSON_ENDPOINTS)
def test_it_refuses_json_nested_deeper_than_the_limit(api, public_report, url):
    body = assert_api_error(api.post(url.format(ref=public_report.reference), DEEP, content_type="application/json"))
    assert "nested" in body["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/reports/", "/api/v1/reports/{ref}/support/", "/api/v1/subscriptions/preview/"]
)
@pytest.mark.parametrize("document", ["[null,null]", '"x"', "5", "null"])
def test_it_refuses_a_json_body_that_is_not_an_object(api, public_report, url, document):
    body = assert_api_error(
        api.post(url.format(ref=public_report.reference), document, content_type="application/json")
    )
    assert "JSON object" in body["detail"]


def test_it_refuses_nan_and_numbers_out_of_range(api, db):
    for document in ('{"area": NaN}', '{"item": {"layer": "projects", "id": 1' + "0" * 30 + "}}"):
        assert_api_error(api.post("/api/v1/subscriptions/preview/", document, content_type="application/json"))


def test_the_subscribe_forms_area_refuses_deep_json(api, db):
    response = api.post("/en/subscribe/", {"area_kind": "polygon", "area_geojson": DEEP, "email": "a@example.ge"})
    assert response.status_code < 500
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/search/?q=ab%00cd",
        FEATURES + "?q=ab%00cd",
        TILE + "?q=ab%00cd",
        "/api/v1/reports/TB-0%0001/",
        "/api/v1/reports/nearby/?lon=44.75&lat=41.71&category=lamp%00",
    ],
)
def test_it_refuses_nul_in_query_and_path(api, db, url):
    assert_api_error(api.get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/services/lamp%00out.json",
        "/open311/v2/requests/TB-0%0001.json",
        "/open311/v2/requests.json?service_code=lamp%00",
        "/open311/v2/tokens/abc%00def.xml",
    ],
)
def test_open311_refuses_nul_in_its_own_error_format(api, db, url):
    response = api.get(url)
    assert response.status_code == 400
    if url.endswith(".xml"):
        assert b"<errors>" in response.content
    else:
        assert response.json()[0]["code"] == 400


def test_feed_tokens_and_pages_refuse_nul(api, db):
    for url in ("/en/feeds/subscriptions/abc%00.atom", "/en/reports/TB-%00/", "/en/subscriptions/confirm/x%00y/"):
        response = api.get(url)
        assert response.status_code == 400, url
        assert b"refused" in response.content


@pytest.mark.parametrize("field", ["description", "address", "category", "name", "email"])
def test_a_report_with_nul_in_any_text_is_refused_and_not_stored(api, db, field):
    data = {"category": "lamp-out", "lon": 44.756, "lat": 41.7105, "description": "ნათურა", "email": "n@example.ge"}
    data[field] = f"{data.get(field, 'x')}\x00"
    assert_api_error(api.post("/api/v1/reports/", json.dumps(data), content_type="application/json"))
    form = {k: str(v) for k, v in data.items()}
    assert_api_error(api.post("/api/v1/reports/", form), field=field)
    assert Report.objects.count() == 0


def test_support_email_and_subscription_name_with_nul_are_refused(api, public_report):
    url = f"/api/v1/reports/{public_report.reference}/support/"
    assert_api_error(api.post(url, {"email": "a\x00@example.ge"}))
    body = {"email": "a@example.ge", "name": "home\x00", "city": True, "topics": ["construction"], "events": ["new"]}
    assert_api_error(api.post("/api/v1/subscriptions/", json.dumps(body), content_type="application/json"))
    assert not Subscription.objects.filter(email="a@example.ge").exists()


def test_staff_notes_with_nul_are_refused(api, public_report, tbilservice_staff):
    api.force_login(tbilservice_staff)
    url = f"/en/staff/reports/{public_report.reference}/action/"
    response = api.post(url, {"action": "note", "text": "checked\x00"})
    assert response.status_code == 400
    assert not public_report.updates.filter(public_text__contains="checked").exists()


@pytest.mark.parametrize("district", ["²", "٣", "40000", "99999999999999999999", "-1"])
def test_district_filters_refuse_unicode_digits_and_overflow(api, db, district):
    assert_api_error(api.get(FEATURES, {"district": district}), field="district")
    assert_api_error(api.get(TILE, {"district": district}), field="district")
    body = {"email": "a@example.ge", "district": district, "topics": ["construction"], "events": ["new"]}
    assert_api_error(api.post("/api/v1/subscriptions/", json.dumps(body), content_type="application/json"))


@pytest.mark.parametrize("reference", ["²", "٣", "99999999999999999999", "TB-٣"])
def test_report_references_refuse_unicode_digits_and_overflow(api, db, reference):
    assert api.get(f"/api/v1/reports/{reference}/").status_code == 404
    assert api.get(f"/en/reports/{reference}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/layers/projects/features/99999999999999999999/",
        "/api/v1/layers/projects/tiles/٣/0/0.mvt",
        "/en/layers/projects/99999999999999999999/",
        "/open311/v2/requests/99999999999999999999.json",
    ],
)
def test_path_numbers_that_overflow_are_not_found_or_refused(api, db, url):
    assert api.get(url).status_code in (400, 404)


@pytest.mark.parametrize("param", ["from", "to"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2025-02-30", "２０２５-01-01"])
def test_extreme_dates_are_refused(api, db, param, day):
    assert_api_error(api.get(FEATURES, {param: day}), field=param)
    assert_api_error(api.get(TILE, {param: day}), field=param)


def test_a_body_over_the_size_limit_answers_in_the_apis_shape(api, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = json.dumps({"description": "x" * 20_000})
    assert_api_error(api.post("/api/v1/reports/", big, content_type="application/json"), status=413)
    assert_api_error(api.post("/api/v1/reports/", {"description": "x" * 20_000}), status=413)
    response = api.post("/open311/v2/requests.json", {"description": "x" * 20_000})
    assert response.status_code == 413 and response.json()[0]["code"] == 413


def test_refusals_speak_georgian(api, db):
    body = api.get("/api/v1/search/?q=ab%00cd", HTTP_ACCEPT_LANGUAGE="ka").json()
    assert "NUL" in body["detail"] and "ტექსტ" in body["detail"]
