"""Atom feeds: private per subscription, public per area."""

from tests.subscriptions.conftest import OUTSIDE, happen


def test_it_serves_a_private_feed_of_what_the_subscription_matched(client, subscription):
    happen()
    happen(OUTSIDE, item_id=2)
    response = client.get(f"/ka/feeds/subscriptions/{subscription.feed_token}.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert response.content.decode().count("<entry>") == 1


def test_it_hides_the_private_feed_behind_its_secret(client, subscription):
    assert client.get("/ka/feeds/subscriptions/guess.atom").status_code == 404


def test_it_serves_a_public_feed_for_a_box_and_topics(client, db):
    happen()
    happen(OUTSIDE, item_id=2)
    happen(topic="trees", layer="tree-permits", item_id=3)
    vake = "44.75,41.70,44.76,41.72"
    assert client.get("/en/feeds/area.atom", {"bbox": vake}).content.decode().count("<entry>") == 2
    assert client.get("/en/feeds/area.atom", {"bbox": vake, "topics": "trees"}).content.decode().count("<entry>") == 1


def test_it_answers_a_bad_box_or_topic_with_400(client, db):
    for params in (
        {"bbox": "1,2,3"},
        {"bbox": "44.8,41.7,44.7,41.6"},
        {"bbox": "a,b,c,d"},
        {},
        {"bbox": "40,40,46,46"},
        {"bbox": "44.75,41.70,44.76,41.72", "topics": "parking"},
    ):
        assert client.get("/en/feeds/area.atom", params).status_code == 400, params
