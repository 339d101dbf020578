"""Open311 GeoReport v2: discovery, services, posting (trusted, or confirmed by email), the key command.

The helpers at the top (url, body, items, assert_error, fields) serve the other test_open311_* modules too.
"""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client

from fixtracker.actions.submitting import do_confirm_report
from fixtracker.models import Category, Open311Key, Report
from fixtracker.tasks import process_report_photos
from tests.fixtracker.conftest import LAMP, jpeg_bytes, upload

BASE = "/open311/v2/"
FORMATS = ["json", "xml"]
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def url(resource: str, fmt: str) -> str:
    return f"{BASE}{resource}.{fmt}"


def body(response, fmt: str):
    """The answer as Python: JSON as it is, XML as the root Element (after checking the prolog)."""
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        return json.loads(response.content.decode("utf-8"))
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(response.content)


def items(response, fmt: str) -> list[dict]:
    """A list answer (services, service_requests) as dicts, read the same way from both formats."""
    data = body(response, fmt)
    if fmt == "json":
        return data
    return [{child.tag: child.text for child in element} for element in data]


def assert_error(response, fmt: str, status: int) -> str:
    """The spec's error answer, `status` as HTTP status and as code; returns the description."""
    assert response.status_code == status, response.content
    data = body(response, fmt)
    if fmt == "json":
        assert len(data) == 1 and data[0]["code"] == status
        description = data[0]["description"]
    else:
        assert data.tag == "errors" and [e.tag for e in data] == ["error"]
        assert data.find("error/code").text == str(status)
        description = data.find("error/description").text
    assert description
    return description


def fields(**overrides) -> dict:
    """A complete POST about a dead streetlight in Vake; an override of None drops the field."""
    data = {
        "service_code": "lamp-out",
        "lat": str(LAMP.y),
        "long": str(LAMP.x),
        "address_string": "ჭავჭავაძის გამზირი 64",
        "description": "ნათურა არ ანათებს ორი დღეა",
        "email": "tamar@example.ge",
        "first_name": "Tamar",
        "last_name": "Beridze",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def city_app(db):
    """The api_key of the city's own call-centre app: trusted."""
    return Open311Key.issue("Tbilisi 311", trusted=True)[1]


@pytest.fixture
def civic_app(db):
    """The api_key of a third party's app: its reporters confirm by email."""
    return Open311Key.issue("Civic App")[1]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Discovery and services


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_describes_this_endpoint(client, db, fmt):
    data = body(client.get(url("discovery", fmt)), fmt)
    if fmt == "xml":
        endpoint = data.find("endpoints/endpoint")
        assert endpoint.find("url").text == "http://testserver/open311/v2"
        assert endpoint.find("specification").text == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]
        assert data.find("changeset").text and data.find("contact").text
    else:
        (endpoint,) = data["endpoints"]
        assert endpoint["url"] == "http://testserver/open311/v2"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert data["changeset"] and data["key_service"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_active_categories(client, db, fmt):
    Category.objects.filter(slug="new-bench").update(active=False)
    services = items(client.get(url("services", fmt), {"locale": "en"}), fmt)
    codes = [s["service_code"] for s in services]
    assert codes == list(Category.objects.filter(active=True).values_list("slug", flat=True))
    assert "new-bench" not in codes
    lamp = services[codes.index("lamp-out")]
    assert lamp["service_name"] == "Lamp out" and lamp["group"] == "Street lighting"
    assert lamp["metadata"] in (True, "true") and lamp["type"] == "batch"
    assert "1 working day" in lamp["description"] and "Lamp out" in lamp["keywords"]
    pruning = services[codes.index("pruning")]
    assert pruning["metadata"] in (False, "false")


def test_a_trusted_client_is_told_its_requests_are_realtime(client, city_app, civic_app):
    assert {s["type"] for s in client.get(url("services", "json"), {"api_key": city_app}).json()} == {"realtime"}
    assert {s["type"] for s in client.get(url("services", "json"), {"api_key": civic_app}).json()} == {"batch"}


def test_names_follow_locale_then_accept_language(client, db):
    def lamp_name(**kwargs):
        response = client.get(url("services", "xml"), **kwargs)
        return body(response, "xml").find("service/service_name").text, response["Content-Language"]

    assert lamp_name(HTTP_ACCEPT_LANGUAGE="en") == ("Lamp out", "en")
    assert lamp_name(HTTP_ACCEPT_LANGUAGE="ka") == ("ნათურა არ ანათებს", "ka")
    assert lamp_name(data={"locale": "ka_GE"}, HTTP_ACCEPT_LANGUAGE="en") == ("ნათურა არ ანათებს", "ka")
    assert lamp_name(data={"locale": "en-US"}, HTTP_ACCEPT_LANGUAGE="ka") == ("Lamp out", "en")
    assert lamp_name(data={"locale": "xx"}, HTTP_ACCEPT_LANGUAGE="en") == ("Lamp out", "en")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_definition_lists_the_category_questions(client, db, fmt):
    data = body(client.get(url("services/fallen-tree", fmt), {"locale": "en"}), fmt)
    if fmt == "xml":
        assert data.tag == "service_definition" and data.find("service_code").text == "fallen-tree"
        (attribute,) = data.find("attributes")
        assert attribute.find("variable").text == "true" and attribute.find("required").text == "false"
        assert attribute.find("datatype").text == "singlevaluelist" and attribute.find("order").text == "1"
        assert [(v.find("key").text, v.find("name").text) for v in attribute.find("values")] == [
            ("yes", "Yes"),
            ("no", "No"),
        ]
    else:
        assert data["service_code"] == "fallen-tree"
        (attribute,) = data["attributes"]
        assert attribute["code"] == "blocking" and attribute["description"] == "Is it blocking the road?"
        assert attribute["values"] == [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]
        assert (attribute["variable"], attribute["required"], attribute["order"]) == (True, False, 1)


def test_a_question_without_choices_is_a_string(client, db):
    (attribute,) = client.get(url("services/lamp-out", "json"), {"locale": "ka"}).json()["attributes"]
    assert attribute["datatype"] == "string" and "values" not in attribute
    assert attribute["code"] == "pole" and attribute["description"] == "ბოძის ნომერი (თუ ჩანს)"
    assert client.get(url("services/pruning", "json")).json()["attributes"] == []


# Posting


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_trusted_client_publishes_at_once(client, city_app, fmt):
    response = client.post(url("requests", fmt), fields(api_key=city_app))
    assert response.status_code == 201
    (created,) = items(response, fmt)
    report = Report.objects.get()
    assert created["service_request_id"] == report.reference and report.reference.startswith("TB-")
    assert created["service_notice"] and "token" not in created
    assert report.is_public and report.source == "open311:Tbilisi 311"
    assert (report.reporter_name, report.show_name) == ("Tamar Beridze", False)
    (listed,) = items(client.get(url(f"requests/{report.reference}", fmt)), fmt)
    assert listed["service_request_id"] == report.reference and listed["status"] == "open"
    assert listed["address"] == "ჭავჭავაძის გამზირი 64" and listed["service_code"] == "lamp-out"
    assert not mail.outbox


def test_posting_is_an_api_call_without_csrf(city_app):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url("requests", "json"), fields(api_key=city_app)).status_code == 201


def test_the_api_key_may_come_in_the_query_string(client, city_app):
    response = client.post(f"{url('requests', 'json')}?api_key={city_app}", fields())
    assert response.status_code == 201 and Report.objects.public().count() == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_untrusted_clients_reporter_confirms_by_email(client, civic_app, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("requests", fmt), fields(api_key=civic_app, locale="en"))
    assert response.status_code == 201
    ((name, token),) = items(response, fmt)[0].items()
    assert name == "token" and token
    report = Report.objects.get()
    assert not report.is_public
    before = items(client.get(url(f"tokens/{token}", fmt)), fmt)
    assert before == [{"service_request_id": None, "token": token}]
    assert client.get(url(f"requests/{report.reference}", fmt)).status_code == 404

    (email,) = mail.outbox
    assert email.to == ["tamar@example.ge"] and report.reference in email.subject
    assert "Civic App" in email.body and "ნათურა არ ანათებს ორი დღეა" in email.body
    link = re.search(r"http://\S+(/en/reports/confirm/\S+/)", email.body).group(1)
    assert link in email.alternatives[0][0]
    assert client.get(link).status_code == 200  # a page with a button: mail scanners confirm nothing
    assert not Report.objects.get().is_public
    assert client.post(link).status_code == 302
    assert Report.objects.get().is_public

    after = items(client.get(url(f"tokens/{token}", fmt)), fmt)
    assert after == [{"service_request_id": report.reference, "token": token}]
    assert client.get(url(f"requests/{report.reference}", fmt)).status_code == 200


def test_the_token_is_not_the_confirmation(client, civic_app, django_capture_on_commit_callbacks):
    """The client app holds the token; only the reporter's mailbox holds the confirmation link."""
    with django_capture_on_commit_callbacks(execute=True):
        token = client.post(url("requests", "json"), fields(api_key=civic_app)).json()[0]["token"]
    assert token not in mail.outbox[0].body
    assert client.get(f"/en/reports/confirm/{token}/").status_code == 400
    assert not Report.objects.get().is_public


def test_a_photo_sent_as_media_is_checked_and_published_clean(client, city_app):
    photo = upload(jpeg_bytes(gps=(41.7105, 44.7560)), name="lamp.jpg")
    response = client.post(url("requests", "json"), {**fields(api_key=city_app), "media": photo})
    assert response.status_code == 201
    report = Report.objects.get()
    (stored,) = report.photos.all()
    assert stored.content_type == "image/jpeg" and stored.gps is not None
    assert client.get(url(f"requests/{report.reference}", "json")).json()[0]["media_url"] is None  # not yet clean
    process_report_photos(report.pk)
    stored.refresh_from_db()
    media_url = client.get(url(f"requests/{report.reference}", "json")).json()[0]["media_url"]
    assert media_url == f"http://testserver{stored.public.url}" and media_url.endswith(".jpg")
    assert stored.original.name not in media_url


def test_attributes_are_the_answers_to_the_questions(client, city_app):
    response = client.post(
        url("requests", "json"),
        fields(api_key=city_app, service_code="fallen-tree", **{"attribute[blocking]": "yes", "attribute[x]": "1"}),
    )
    assert response.status_code == 201
    assert Report.objects.get().answers == {"blocking": "yes"}


def test_a_client_cannot_choose_to_show_the_name(client, city_app):
    client.post(url("requests", "json"), fields(api_key=city_app, show_name="true", name="Someone Else"))
    report = Report.objects.get()
    assert (report.show_name, report.reporter_name) == (False, "Tamar Beridze")


def test_no_reporter_name_or_email_ever_goes_out(client, city_app, civic_app, django_capture_on_commit_callbacks):
    client.post(url("requests", "json"), fields(api_key=city_app))
    with django_capture_on_commit_callbacks(execute=True):
        token = client.post(url("requests", "json"), fields(api_key=civic_app)).json()[0]["token"]
    do_confirm_report(Report.objects.get(source="open311:Civic App"))
    Report.objects.update(show_name=True)  # even a reporter who chose to show it: Open311 never carries it
    seen = ""
    for fmt in FORMATS:
        for resource in ("requests", f"requests/{Report.objects.first().reference}", f"tokens/{token}"):
            for extensions in ("false", "true"):
                response = client.get(url(resource, fmt), {"extensions": extensions})
                assert response.status_code == 200
                seen += response.content.decode()
    assert "TB-" in seen
    for secret in ("Tamar", "Beridze", "tamar@example.ge", "@"):
        assert secret not in seen


# The key command


def test_the_command_issues_a_key_and_shows_it_once(call):
    output = call("open311_key", "Batumi Civic", "--trusted")
    secret = output.splitlines()[1]
    key = Open311Key.find(secret)
    assert key.name == "Batumi Civic" and key.trusted and secret not in key.key_hash
    assert not Open311Key.find(call("open311_key", "Other App").splitlines()[1]).trusted


def test_the_command_refuses_a_taken_name(call):
    from django.core.management import CommandError

    call("open311_key", "Civic App")
    with pytest.raises(CommandError, match="exists already"):
        call("open311_key", "Civic App")
    assert Open311Key.objects.count() == 1


def test_a_trusted_client_may_file_without_a_reporters_email(client, city_app):
    body = fields(api_key=city_app)
    body.pop("email", None)
    response = client.post(url("requests", "json"), body)
    assert response.status_code == 201, response.content
    assert Report.objects.get().reporter_email == ""


def test_an_untrusted_client_needs_the_reporters_email(client, civic_app):
    body = fields(api_key=civic_app)
    body.pop("email", None)
    assert client.post(url("requests", "json"), body).status_code == 400
