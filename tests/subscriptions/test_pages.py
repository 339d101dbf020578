"""The subscribe page without JavaScript, following an item, and managing it all from the profile."""

from django.core import mail

from layers.demo import load_demo
from layers.models import ConstructionPermit
from subscriptions.models import Subscription
from tests.subscriptions.conftest import VAKE_BLOCK


def _form(**extra):
    data = {
        "area_kind": "district",
        "district": "2",
        "topics": ["construction"],
        "events": ["new", "status"],
        "frequency": "daily",
        "email": "levan@example.ge",
    }
    data.update(extra)
    return data


def test_it_subscribes_to_a_district_without_javascript(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/subscribe/", _form())
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    sub = Subscription.objects.get()
    assert (sub.area_kind, sub.district.name_en, sub.frequency, sub.language) == ("district", "Vake", "daily", "en")
    assert len(mail.outbox) == 1


def test_it_takes_a_drawn_area_from_the_hidden_field(client, db):
    import json

    response = client.post("/ka/subscribe/", _form(area_kind="polygon", area_geojson=json.dumps(VAKE_BLOCK)))
    assert response.status_code == 200
    assert Subscription.objects.get().area_kind == "polygon"


def test_it_shows_what_to_correct_in_the_page_language(client, db):
    response = client.post("/en/subscribe/", _form(topics=[], email="nope"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one topic" in html or "Enter a valid email" in html
    assert Subscription.objects.count() == 0
    assert 'value="nope"' in html  # what was typed is kept


def test_it_refuses_an_unreadable_circle(client, db):
    response = client.post("/en/subscribe/", _form(area_kind="circle", lon="east", lat="41.7"))
    assert response.status_code == 400 and Subscription.objects.count() == 0


def test_it_lets_a_verified_resident_follow_an_item(client, resident):
    load_demo("construction-permits", 3, seed=5)
    permit = ConstructionPermit.objects.first()
    client.force_login(resident)
    response = client.post(
        "/ka/subscriptions/follow/", {"layer": "construction-permits", "item_id": permit.pk, "next": "/ka/"}
    )
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.area_kind, sub.item_id, sub.confirmed_at is not None) == ("item", permit.pk, True)
    assert "updated" in sub.kinds


def test_it_refuses_to_follow_what_does_not_exist(client, resident):
    client.force_login(resident)
    client.post(
        "/ka/subscriptions/follow/",
        {"layer": "construction-permits", "item_id": 99999, "next": "https://evil.example/"},
    )
    assert Subscription.objects.count() == 0


def test_it_manages_subscriptions_from_the_profile(client, resident, stranger):
    client.force_login(resident)
    client.post("/en/subscribe/", _form(email=""))
    sub = Subscription.objects.get()
    assert client.get("/en/profile/").status_code == 200
    client.post(f"/en/profile/subscriptions/{sub.pk}/", {"action": "rename", "name": "Near home"})
    client.post(f"/en/profile/subscriptions/{sub.pk}/", {"action": "pause"})
    sub.refresh_from_db()
    assert (sub.name, sub.paused) == ("Near home", True)
    client.force_login(stranger)
    assert client.post(f"/en/profile/subscriptions/{sub.pk}/", {"action": "delete"}).status_code == 404
    client.force_login(resident)
    client.post(f"/en/profile/subscriptions/{sub.pk}/", {"action": "delete"})
    assert Subscription.objects.get().unsubscribed_at is not None


def test_it_asks_for_a_login_to_see_the_profile(client, db):
    assert client.get("/en/profile/").status_code == 302


def test_an_owner_changes_area_topics_and_frequency(client, resident, stranger):
    import json

    client.force_login(resident)
    client.post("/en/subscribe/", _form(email=""))
    sub = Subscription.objects.get()
    page = client.get(f"/en/subscribe/?edit={sub.pk}")
    assert page.status_code == 200 and f'name="edit" value="{sub.pk}"' in page.content.decode()
    response = client.post(
        "/en/subscribe/",
        _form(
            email="",
            edit=sub.pk,
            area_kind="polygon",
            area_geojson=json.dumps(VAKE_BLOCK),
            topics=["trees"],
            frequency="weekly",
        ),
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert (sub.area_kind, sub.topics, sub.frequency) == ("polygon", ["trees"], "weekly") and sub.parts.count() >= 1
    assert Subscription.objects.count() == 1
    client.force_login(stranger)
    assert client.get(f"/en/subscribe/?edit={sub.pk}").status_code == 404


def test_every_item_page_offers_to_follow_it(client, db):
    load_demo("construction-permits", 2, seed=3)
    load_demo("projects", 1, seed=3)
    from layers.models import InfrastructureProject

    permit = ConstructionPermit.objects.first()
    project = InfrastructureProject.objects.first()
    for url, item_id in ((permit.get_absolute_url(), permit.pk), (project.get_absolute_url(), project.pk)):
        html = client.get(url).content.decode()
        assert 'action="/ka/subscriptions/follow/"' in html.replace("/en/", "/ka/") and f'value="{item_id}"' in html
