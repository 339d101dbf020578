"""The staff queue pages without counting the whole queue: next and previous from one extra row."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fixtracker import staff


def test_it_pages_the_queue_without_counting_it(client, submit, tbilservice_staff, monkeypatch):
    monkeypatch.setattr(staff, "QUEUE_PAGE", 2)
    reports = [submit(email=f"r{i}@example.ge") for i in range(5)]
    client.force_login(tbilservice_staff)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/en/staff/").content.decode()
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert "page=2" in first and "page=0" not in first
    last = client.get("/en/staff/?page=3").content.decode()
    assert "page=2" in last and "page=4" not in last
    shown = [r.reference for r in reports if r.reference in first + client.get("/en/staff/?page=2").content.decode()]
    assert len(shown) == 4


def test_it_shows_an_empty_page_past_the_end_and_page_one_for_nonsense(client, submit, tbilservice_staff):
    submit()
    client.force_login(tbilservice_staff)
    assert client.get("/en/staff/?page=999").status_code == 200
    assert client.get("/en/staff/?page=abc").status_code == 200
    assert client.get("/en/staff/?page=-3").status_code == 200
