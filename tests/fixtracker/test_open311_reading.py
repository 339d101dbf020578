"""Open311 reading: GET requests and its filters, one request, notes; only public reports, ever."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fixtracker.actions.casework import do_add_note
from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.actions.moderation import do_hide
from fixtracker.models import Category, Report
from tests.fixtracker.conftest import LAMP
from tests.fixtracker.test_open311 import FORMATS, body, items, url


@pytest.fixture
def reports(submit):
    """Three public reports (one closed, one about a tree) and one waiting for confirmation."""
    lamp = submit(description="ქუჩა ბნელა")
    tree = submit(category=Category.objects.get(slug="fallen-tree"), description="ხე წაიქცა")
    done = submit(description="ნათურა შეიცვალა?")
    Report.objects.filter(pk=done.pk).update(status=Report.Status.CLOSED, close_reason="fixed")
    unconfirmed = submit(confirmed=False, description="არ დადასტურებულა")
    return {"lamp": lamp, "tree": tree, "done": done, "unconfirmed": unconfirmed}


def ids(response, fmt="json") -> list[str]:
    return [r["service_request_id"] for r in items(response, fmt)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_lists_public_reports_newest_first(client, reports, fmt):
    listed = ids(client.get(url("requests", fmt)), fmt)
    assert listed == [reports[name].reference for name in ("done", "tree", "lamp")]


def test_requests_filter_by_code_status_and_id(client, reports):
    lamp, tree, done = reports["lamp"].reference, reports["tree"].reference, reports["done"].reference
    assert ids(client.get(url("requests", "json"), {"service_code": "fallen-tree"})) == [tree]
    assert ids(client.get(url("requests", "json"), {"service_code": "fallen-tree,lamp-out"})) == [done, tree, lamp]
    assert ids(client.get(url("requests", "json"), {"status": "closed"})) == [done]
    assert ids(client.get(url("requests", "json"), {"status": "open"})) == [tree, lamp]
    assert ids(client.get(url("requests", "json"), {"status": "open,closed"})) == [done, tree, lamp]
    hidden = reports["unconfirmed"].reference
    by_id = client.get(url("requests", "json"), {"service_request_id": f"{lamp},{hidden}", "status": "closed"})
    assert ids(by_id) == [lamp]  # service_request_id overrides the other filters; never the unconfirmed


def test_requests_filter_by_date_and_default_to_90_days(client, reports):
    old = reports["lamp"]
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=100))
    assert old.reference not in ids(client.get(url("requests", "json")))
    window = {"start_date": (timezone.now() - timedelta(days=101)).isoformat(), "end_date": "2099-01-01T00:00:00Z"}
    assert old.reference in ids(client.get(url("requests", "json"), window))
    until = {"end_date": timezone.localtime(timezone.now() - timedelta(days=99)).isoformat(timespec="seconds")}
    assert ids(client.get(url("requests", "json"), until)) == [old.reference]


def test_requests_are_paged(client, reports):
    first = ids(client.get(url("requests", "json"), {"page_size": 2}))
    second = ids(client.get(url("requests", "json"), {"page_size": 2, "page": 2}))
    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    assert ids(client.get(url("requests", "json"), {"page_size": 2, "page": 3})) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_has_every_field_of_the_spec(client, reports, fmt):
    report = reports["lamp"]
    (data,) = items(client.get(url(f"requests/{report.reference}", fmt), {"locale": "en"}), fmt)
    assert list(data) == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert data["service_name"] == "Lamp out" and data["description"] == "ქუჩა ბნელა"
    assert data["agency_responsible"] == report.department.name_en
    expected = timezone.localtime(report.resolution_due_at).isoformat(timespec="seconds")
    assert data["expected_datetime"] == expected and expected.endswith("+04:00")
    assert float(data["lat"]) == pytest.approx(LAMP.y) and float(data["long"]) == pytest.approx(LAMP.x)


def test_a_page_costs_the_same_few_queries_however_long(client, reports, submit, django_assert_max_num_queries):
    for _ in range(5):
        submit()
    with django_assert_max_num_queries(3):  # the page with its status notes; its photos; its timelines
        assert len(ids(client.get(url("requests", "json"), {"extensions": "true"}))) == 8


def test_unconfirmed_and_hidden_reports_are_invisible(client, reports, moderator):
    hidden = reports["tree"]
    do_hide(hidden, actor=moderator, reason="spam")
    listed = ids(client.get(url("requests", "json"), {"status": "open,closed"}))
    assert hidden.reference not in listed and reports["unconfirmed"].reference not in listed
    for report in (hidden, reports["unconfirmed"]):
        for fmt in FORMATS:
            assert client.get(url(f"requests/{report.reference}", fmt)).status_code == 404


def test_notes_are_the_public_timeline_and_never_internal(client, submit, tbilservice_staff):
    report = submit()
    do_add_note(report, "ვიღაცის ტელეფონი 555 12 34 56", actor=tbilservice_staff)
    do_change_status(
        report, Change(status="acknowledged", text="ბრიგადა გამოვიდა"), actor=tbilservice_staff, role="staff"
    )
    plain = client.get(url(f"requests/{report.reference}", "json")).json()[0]
    assert "notes" not in plain and plain["status_notes"] == "ბრიგადა გამოვიდა"
    for fmt in FORMATS:
        response = client.get(url(f"requests/{report.reference}", fmt), {"extensions": "true"})
        assert "555 12 34 56" not in response.content.decode()
    (data,) = client.get(url("requests", "json"), {"extensions": "true", "locale": "en"}).json()
    assert data["detailed_status"] == "acknowledged"
    assert [(n["type"], n["status"], n["description"]) for n in data["notes"]] == [
        ("created", None, None),
        ("status", "open", None),
        ("status", "open", "ბრიგადა გამოვიდა"),
    ]
    assert data["notes"][-1]["summary"] == "acknowledged" and data["notes"][-1]["datetime"].endswith("+04:00")
    xml = body(client.get(url(f"requests/{report.reference}", "xml"), {"extensions": "true"}), "xml")
    assert [note.find("type").text for note in xml.find("request/notes")] == ["created", "status", "status"]


def test_xml_is_well_formed_whatever_was_typed(client, submit):
    report = submit(description="<b>ხე & ბოძი</b> \x0b\x1b ]]> “ნათურა”")
    response = client.get(url(f"requests/{report.reference}", "xml"))
    assert body(response, "xml").find("request/description").text == "<b>ხე & ბოძი</b>  ]]> “ნათურა”"
    assert "ხე".encode() in response.content and b"&lt;b&gt;" in response.content
