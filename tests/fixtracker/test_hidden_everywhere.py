"""Hidden means hidden everywhere: a sentinel hidden report and an unconfirmed one, walked through
every public surface; a visible report beside them shows each surface was really looked at.

Surfaces: the report page and API, the layer list page and item page, GeoJSON features, a feature,
the area count, vector tiles, search, "nearby", Open311 (list and one), the area Atom feed with and
without topics=reports, a subscriber's own feed, and the emails not yet sent.
"""

import json
import math
from datetime import timedelta

import mapbox_vector_tile
import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.actions.moderation import do_hide
from fixtracker.models import Report
from fixtracker.workflow import TransitionError
from layers.tiles import VERSION_KEY
from subscriptions import delivery
from subscriptions.models import Delivery
from tests.fixtracker.conftest import LAMP
from tests.subscriptions.conftest import make_subscription

BBOX = "44.74,41.70,44.77,41.72"
AREA = {
    "type": "Polygon",
    "coordinates": [[[44.74, 41.70], [44.77, 41.70], [44.77, 41.72], [44.74, 41.72], [44.74, 41.70]]],
}


@pytest.fixture(autouse=True)
def uncached_tiles_after():
    """Tests here run the commit hooks that version the tile cache; leave no version behind, or a
    later test's tiles (whose commits never run) would be answered from this test's cache."""
    yield
    cache.delete(VERSION_KEY % Report.LAYER)
    cache.delete(VERSION_KEY % "forum")


@pytest.fixture
def sentinels(submit, moderator):
    subscription = make_subscription("city", topics=("reports",), groups=("new", "status"))
    visible = submit(description="VISIBLE lamp report")
    hidden = submit(description="SENTINELHIDDEN lamp report", email="h@example.ge")
    unconfirmed = submit(confirmed=False, description="SENTINELUNCONFIRMED lamp report", email="u@example.ge")
    do_hide(hidden, actor=moderator, reason="abusive")
    return {"visible": visible, "hidden": hidden, "unconfirmed": unconfirmed, "subscription": subscription}


def _absent(text: str, sentinels, present=True):
    assert "SENTINEL" not in text
    for name in ("hidden", "unconfirmed"):
        assert sentinels[name].reference not in text
    if present:
        assert sentinels["visible"].reference in text or "VISIBLE" in text


def _tile(z=16):
    lon, lat = LAMP.x, LAMP.y
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"/api/v1/layers/reports/tiles/{z}/{x}/{y}.mvt"


def test_pages_and_the_api_answer_404(client, sentinels):
    for name in ("hidden", "unconfirmed"):
        report = sentinels[name]
        for url in (
            f"/en/reports/{report.reference}/",
            f"/api/v1/reports/{report.reference}/",
            f"/api/v1/reports/{report.pk}/",
            f"/api/v1/layers/reports/features/{report.pk}/",
            f"/open311/v2/requests/{report.reference}.json",
        ):
            assert client.get(url, follow=True).status_code == 404, url
        assert client.get(f"/en/layers/reports/{report.pk}/", follow=True).status_code == 404


def test_lists_features_counts_and_search_leave_them_out(client, sentinels):
    _absent(client.get("/en/layers/reports/").content.decode(), sentinels)
    _absent(client.get("/api/v1/layers/reports/features/", {"bbox": BBOX}).content.decode(), sentinels)
    count = client.post("/api/v1/layers/reports/count/", json.dumps({"area": AREA}), content_type="application/json")
    assert count.json()["total"] == 1
    for q in ("SENTINELHIDDEN", sentinels["hidden"].reference, sentinels["unconfirmed"].reference):
        _absent(client.get("/api/v1/search/", {"q": q}).content.decode(), sentinels, present=False)
    nearby = client.get("/api/v1/reports/nearby/", {"lon": LAMP.x, "lat": LAMP.y, "category": "lamp-out"})
    _absent(nearby.content.decode(), sentinels)
    _absent(client.get("/open311/v2/requests.json").content.decode(), sentinels)


def test_tiles_leave_them_out_even_when_cached_before_the_hiding(
    client, submit, moderator, sentinels, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        late = submit(description="LATE lamp report", email="l@example.ge")
    before = mapbox_vector_tile.decode(client.get(_tile()).content)
    assert late.reference in json.dumps(before, default=str)
    with django_capture_on_commit_callbacks(execute=True):
        do_hide(late, actor=moderator, reason="spam")
    tile = json.dumps(mapbox_vector_tile.decode(client.get(_tile()).content), default=str)
    assert sentinels["visible"].reference in tile
    for report in (late, sentinels["hidden"], sentinels["unconfirmed"]):
        assert report.reference not in tile


@pytest.mark.parametrize("topics", ["", "reports"])
def test_the_area_feed_leaves_them_out(client, sentinels, topics):
    params = {"bbox": BBOX, **({"topics": topics} if topics else {})}
    _absent(client.get("/en/feeds/area.atom", params).content.decode(), sentinels)


def test_a_subscribers_feed_and_the_emails_not_yet_sent_leave_them_out(client, sentinels):
    subscription = sentinels["subscription"]
    assert subscription.deliveries.count() >= 2  # the hidden report was public (and matched) before
    _absent(client.get(f"/en/feeds/subscriptions/{subscription.feed_token}.atom").content.decode(), sentinels)
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    text = "".join(m.subject + m.body for m in mail.outbox if subscription.email in m.to)
    _absent(text, sentinels)
    assert not subscription.deliveries.filter(status=Delivery.Status.PENDING).exists()


def test_an_email_with_nothing_public_left_is_cancelled(sentinels, moderator):
    do_hide(sentinels["visible"], actor=moderator, reason="abusive")
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    subscription = sentinels["subscription"]
    assert not [m for m in mail.outbox if subscription.email in m.to]
    assert set(subscription.deliveries.values_list("status", flat=True)) == {Delivery.Status.CANCELLED}


@pytest.mark.parametrize("target", ["hidden", "unconfirmed"])
def test_only_public_reports_are_targets_of_a_duplicate(client, sentinels, tbilservice_staff, target):
    duplicate = sentinels["visible"]
    with pytest.raises(TransitionError):
        do_change_status(
            duplicate,
            Change(status="closed", reason="duplicate", duplicate_of=sentinels[target]),
            actor=tbilservice_staff,
            role="staff",
        )
    client.force_login(tbilservice_staff)
    page = client.post(
        f"/en/staff/reports/{duplicate.reference}/action/",
        {"action": "status", "status": "closed", "reason": "duplicate", "duplicate_of": sentinels[target].reference},
        follow=True,
    )
    assert "There is no public report" in page.content.decode()
    assert Report.objects.get(pk=duplicate.pk).status != "closed"
    assert Report.objects.get(pk=sentinels[target].pk).supporters_count == sentinels[target].supporters_count


# --- The forum: a hidden thread and a hidden post, through the same one definition of public -------


@pytest.fixture
def forum_sentinels(moderator):
    from forum import actions as forum_actions
    from moderation.actions import do_hide as do_hide_target
    from tests.forum.conftest import established, make_permit, placed, start_thread

    subscription = make_subscription("city", topics=("forum",), groups=("new", "status"), email="f@example.ge")
    author, replier = established(email="tamar@example.ge", display_name="Tamar"), established(email="levan@example.ge")
    permit = make_permit()
    items = [("construction-permits", permit.pk)]
    visible = start_thread(author, title="VISIBLE forum thread", body="About the lamps", place=placed(), items=items)
    hidden = start_thread(
        author, title="SENTINELTHREAD forum thread", body="SENTINELOPENING text", place=placed(), items=items
    )
    reply = forum_actions.do_reply(visible, "SENTINELREPLY hidden reply", author=author)
    forum_actions.do_reply(visible, "A visible reply", author=replier)
    do_hide_target("post", hidden.posts.get(number=1).pk, moderator=moderator, reason="abuse")
    do_hide_target("post", reply.pk, moderator=moderator, reason="abuse")
    hidden.refresh_from_db()
    return {
        "visible": visible,
        "hidden": hidden,
        "reply": reply,
        "author": author,
        "permit": permit,
        "subscription": subscription,
    }


def _forum_absent(text: str, present=True):
    assert "SENTINEL" not in text
    if present:
        assert "VISIBLE forum thread" in text


def test_forum_lists_search_and_profile_leave_them_out(client, forum_sentinels):
    s = forum_sentinels
    for params in (
        {},
        {"order": "new"},
        {"order": "top", "period": "all"},
        {"order": "waiting"},
        {"district": s["visible"].district.slug},
        {"area": json.dumps(AREA)},
    ):
        _forum_absent(client.get("/en/forum/", params).content.decode())
    _forum_absent(client.get("/en/forum/s/trees/").content.decode())
    for q in ("SENTINELTHREAD", "SENTINELOPENING", "forum thread"):
        found = client.get("/en/forum/", {"q": q}).content.decode()
        assert f"/forum/t/{s['hidden'].pk}/" not in found and "SENTINEL" not in found.replace(q, "")
        assert ("VISIBLE forum thread" in found) == (q == "forum thread")
    _forum_absent(client.get(f"/en/people/{s['author'].pk}/").content.decode())
    _forum_absent(client.get(f"/en/layers/construction-permits/{s['permit'].pk}/").content.decode())


def test_the_forum_pages_hide_them(client, forum_sentinels):
    s = forum_sentinels
    assert client.get(f"/en/forum/t/{s['hidden'].pk}/").status_code == 404
    assert "SENTINELTHREAD" not in client.get(f"/en/forum/t/{s['hidden'].pk}/").content.decode()
    _forum_absent(client.get(f"/en/forum/t/{s['visible'].pk}/").content.decode())
    assert client.get(f"/en/forum/p/{s['reply'].pk}/history/").status_code == 404
    assert client.get(f"/en/forum/t/{s['visible'].pk}/", {"quote": s["reply"].pk}).status_code == 200
    assert "SENTINEL" not in client.get(f"/en/forum/t/{s['visible'].pk}/", {"quote": s["reply"].pk}).content.decode()


def test_the_forum_map_layer_leaves_them_out(client, forum_sentinels):
    s = forum_sentinels
    _forum_absent(client.get("/api/v1/layers/forum/features/", {"bbox": BBOX}).content.decode())
    count = client.post("/api/v1/layers/forum/count/", json.dumps({"area": AREA}), content_type="application/json")
    assert count.json()["total"] == 1
    tile = json.dumps(
        mapbox_vector_tile.decode(client.get(_tile().replace("/reports/", "/forum/")).content), default=str
    )
    assert f'"id": {s["visible"].pk}' in tile or str(s["visible"].pk) in tile
    assert "SENTINEL" not in tile
    for q in ("SENTINELTHREAD", "SENTINELOPENING"):
        assert "SENTINEL" not in client.get("/api/v1/search/", {"q": q}).content.decode()
    stats = client.get("/api/v1/stats/", {"layer": "forum"}).json()
    assert stats["totals"] == [1]


def test_forum_feeds_and_emails_leave_them_out(client, forum_sentinels):
    subscription = forum_sentinels["subscription"]
    _forum_absent(client.get("/en/feeds/area.atom", {"bbox": BBOX, "topics": "forum"}).content.decode())
    _forum_absent(client.get(f"/en/feeds/subscriptions/{subscription.feed_token}.atom").content.decode())
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    text = "".join(m.subject + m.body for m in mail.outbox if subscription.email in m.to)
    _forum_absent(text)


def test_followers_of_a_thread_without_a_place_are_still_told(forum_sentinels):
    """Public is the thread's rule; the map's (a place) is only the map's: such a thread's events go out."""
    from forum import actions as forum_actions
    from tests.forum.conftest import start_thread

    s = forum_sentinels
    thread = start_thread(s["author"], title="No place at all", body="Anywhere")
    forum_actions.do_reply(thread, "A reply to the placeless thread", author=s["visible"].posts.last().author)
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    assert [m for m in mail.outbox if s["author"].email in m.to and "No place at all" in m.body]
