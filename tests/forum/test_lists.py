"""The lists: latest, new, top in a period, waiting for City Hall, by section, district, area; search."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import lists
from forum.models import Section, Thread
from tests.forum.conftest import FREEDOM_SQUARE, placed, start_thread

pytestmark = pytest.mark.django_db


def titles(listing):
    rows, _more = lists.page_of(listing)
    return [t.title for t in rows]


def test_latest_activity_puts_the_last_replied_first(author, replier):
    from forum import actions

    older = start_thread(author, title="Older thread here", body="one")
    start_thread(author, title="Newer thread here", body="two")
    actions.do_reply(older, "A reply brings it up", author=replier)
    assert titles(lists.Listing()) == ["Older thread here", "Newer thread here"]
    assert titles(lists.Listing(order="new")) == ["Newer thread here", "Older thread here"]


def test_top_counts_support_in_the_period(author):
    old = start_thread(author, title="Old and popular", body="one")
    Thread.objects.filter(pk=old.pk).update(support_count=50, created_at=timezone.now() - timedelta(days=40))
    fresh = start_thread(author, title="Fresh and liked", body="two")
    Thread.objects.filter(pk=fresh.pk).update(support_count=3)
    assert titles(lists.Listing(order="top", period="week")) == ["Fresh and liked"]
    assert titles(lists.Listing(order="top", period="all")) == ["Old and popular", "Fresh and liked"]


def test_waiting_lists_threads_without_an_official_answer_oldest_first(author):
    first = start_thread(author, title="Waiting longest", body="one")
    start_thread(author, title="Waiting shortly", body="two")
    answered = start_thread(author, title="Already answered", body="three")
    Thread.objects.filter(pk=answered.pk).update(answered_at=timezone.now(), status="answered")
    assert titles(lists.Listing(order="waiting")) == ["Waiting longest", "Waiting shortly"]
    assert first


def test_by_section_district_and_drawn_area(client, author):
    start_thread(author, title="In Vake, about trees", body="one", place=placed())
    start_thread(
        author,
        title="Old Tbilisi, transport",
        body="two",
        place=placed(FREEDOM_SQUARE),
        section=Section.objects.get(slug="transport"),
    )
    assert titles(lists.Listing(section=Section.objects.get(slug="transport"))) == ["Old Tbilisi, transport"]
    vake = client.get(reverse("forum:index"), {"district": "vake"}).content.decode()
    assert "In Vake, about trees" in vake and "Old Tbilisi, transport" not in vake
    box = {
        "type": "Polygon",
        "coordinates": [[[44.75, 41.70], [44.76, 41.70], [44.76, 41.72], [44.75, 41.72], [44.75, 41.70]]],
    }
    area = client.get(reverse("forum:index"), {"area": json.dumps(box)}).content.decode()
    assert "In Vake, about trees" in area and "Old Tbilisi, transport" not in area


@pytest.mark.parametrize("q", ["vake", "Vake", "ვაკე", "ვაკეში", "parki"])
def test_search_finds_georgian_in_either_script(author, q):
    start_thread(author, title="ვაკის პარკი და ხეები", body="ვაკეში ხეებს ჭრიან")
    start_thread(author, title="Saburtalo traffic jams", body="Every morning")
    assert titles(lists.Listing(q=q)) == ["ვაკის პარკი და ხეები"]


def test_search_in_english(author):
    start_thread(author, title="Saburtalo traffic jams", body="Every morning on Vazha-Pshavela")
    assert titles(lists.Listing(q="traffic")) == ["Saburtalo traffic jams"]
    assert titles(lists.Listing(q="nothing-like-this")) == []


def test_hidden_threads_are_in_no_list(author):
    hidden = start_thread(author, title="Spam thread here", body="buy now")
    Thread.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert titles(lists.Listing()) == []
