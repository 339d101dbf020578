"""The forum in Chromium, desktop and 360×740, Georgian and English: a thread started from a permit's
page with a drawn place, a quoted reply, City Hall's official answer, the area subscriber's one email,
the map layer and the permit's page, flags and a moderator's restore in the audit log; keyboard only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forum.models import Post, Thread
from moderation import actions as moderation
from moderation.models import AuditEntry
from subscriptions import delivery
from subscriptions.models import Delivery
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from tests.forum.conftest import established, make_permit, start_thread
from tests.subscriptions.conftest import make_subscription

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
TEXT = {
    "en": {
        "discuss": "Discuss this",
        "quote": "Quote and reply",
        "official": "Mark as the official answer",
        "keep": "Keep (clear the flags)",
        "flag": "Flag",
    },
    "ka": {
        "discuss": "განხილვის დაწყება",
        "quote": "ციტირება და პასუხი",
        "official": "ოფიციალურ პასუხად მონიშვნა",
        "keep": "დატოვება (მონიშვნების მოხსნა)",
        "flag": "მონიშვნა",
    },
}


def _log_in(context, live, lang, user):
    page = context.new_page()
    page.goto(f"{live.url}/{lang}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/{lang}/")
    return page


@pytest.mark.parametrize(("phone", "lang"), [(False, "en"), (True, "ka")], ids=["desktop-en", "phone-ka"])
def test_a_discussion_from_a_permit_to_city_halls_answer_and_moderation(live, open_context, shot, phone, lang):
    t = TEXT[lang]
    permit = make_permit()
    subscriber = make_subscription(
        topics=["forum"],
        groups=["new"],
        email="eka@example.ge",
        geojson={
            "type": "Polygon",
            "coordinates": [[[44.70, 41.65], [44.90, 41.65], [44.90, 41.78], [44.70, 41.78], [44.70, 41.65]]],
        },
    )
    author = established(email="tamar@example.ge", display_name="Tamar")
    replier = established(email="levan@example.ge", display_name="Levan")
    department = DepartmentFactory(slug="architecture")
    staff = MembershipFactory(
        user=UserFactory(email="staff@architecture.ge", verified=True), department=department
    ).user
    locale = "ka-GE" if lang == "ka" else "en-GB"

    # Tamar starts a thread from the permit's page, with the permit linked and a point drawn.
    page = _log_in(open_context(phone=phone, locale=locale), live, lang, author)
    page.goto(f"{live.url}/{lang}/layers/construction-permits/{permit.pk}/")
    page.click(f".discussions a:has-text('{t['discuss']}')")
    page.wait_for_selector("#section")
    shot(page, "form")
    page.select_option("#section", "construction")
    page.fill("#title", "A tower next to the park")
    page.fill("#body", "Who approved **twelve floors** here?")
    page.check("input[name=place_kind][value=point]")
    page.wait_for_selector("#place-map.leaflet-container", state="visible")
    page.click("#place-map", position={"x": 150, "y": 140})
    assert "Point" in page.input_value("#place")
    shot(page, "new-thread")
    page.click("form.thread-form button[type=submit]")
    page.wait_for_selector("h1:has-text('A tower next to the park')")
    thread = Thread.objects.get()
    assert thread.place_kind == "point" and thread.item_links.get().item_id == permit.pk
    shot(page, "thread")

    # Levan replies quoting the opening post.
    page = _log_in(open_context(phone=phone, locale=locale), live, lang, replier)
    page.goto(f"{live.url}/{lang}/forum/t/{thread.pk}/")
    page.click(f"#p1 a:has-text('{t['quote']}')")
    page.wait_for_selector("#reply-body")
    assert page.input_value("#reply-body").startswith("> Who approved")
    page.fill("#reply-body", page.input_value("#reply-body") + "Nobody asked the neighbours.")
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector("#p2 .in-reply-to")

    # City Hall answers as its department and marks the official answer.
    page = _log_in(open_context(phone=phone, locale=locale), live, lang, staff)
    page.goto(f"{live.url}/{lang}/forum/t/{thread.pk}/")
    page.fill("#reply-body", "The permit followed a public consultation in March.")
    page.select_option("#as-department", str(department.pk))
    page.click(".reply-form button[type=submit]")
    page.click(f"#p3 button:has-text('{t['official']}')")
    page.wait_for_selector("#p3.official")
    shot(page, "official-answer")
    assert Thread.objects.get().answered_at is not None

    # The area subscriber gets exactly one email; the thread is on the layer and the permit's page.
    Delivery.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    delivery.deliver_due()
    assert [m.to for m in mail.outbox if "eka@example.ge" in m.to] == [["eka@example.ge"]]
    assert Delivery.objects.filter(subscription=subscriber).count() == 1
    page.goto(f"{live.url}/api/v1/layers/forum/features/")
    assert "A tower next to the park" in page.content()
    page.goto(f"{live.url}/{lang}/layers/construction-permits/{permit.pk}/")
    page.wait_for_selector(".discussions a:has-text('A tower next to the park')")

    # Three flags hide Levan's reply; a moderator restores it; the audit log shows each step.
    reply = Post.objects.get(number=2)
    for n in range(3):
        moderation.do_flag("post", reply.pk, user=established(email=f"flag{n}@example.ge"), reason="abuse")
    assert Post.objects.get(pk=reply.pk).hidden_at is not None
    moderator = UserFactory(email="mod@smartmap.ge", is_moderator=True, is_staff=True, verified=True)
    page = _log_in(open_context(phone=phone, locale=locale), live, lang, moderator)
    page.goto(f"{live.url}/{lang}/moderation/")
    shot(page, "queue")
    page.click(f"#m-post-{reply.pk} button:has-text('{t['keep']}')")
    page.wait_for_url("**/moderation/")
    assert Post.objects.get(pk=reply.pk).hidden_at is None
    page.goto(f"{live.url}/{lang}/moderation/audit/")
    for action in ("official_answer", "auto_hide", "keep"):
        page.wait_for_selector(f"td:has-text('{action}')")
    shot(page, "audit")
    assert AuditEntry.objects.count() == 3


def _tab_to(page, selector, limit=120):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("lang", ["en", "ka"])
def test_read_reply_and_flag_with_the_keyboard_only(live, open_context, shot, lang):
    author = established(email="tamar@example.ge", display_name="Tamar")
    reader = established(email="levan@example.ge", display_name="Levan")
    thread = start_thread(author, title="Buses on Rustaveli", body="The 37 comes every half hour.")
    page = _log_in(open_context(locale="ka-GE" if lang == "ka" else "en-GB"), live, lang, reader)
    page.goto(f"{live.url}/{lang}/forum/")
    _tab_to(page, f"a[href$='/forum/t/{thread.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Buses on Rustaveli')")
    _tab_to(page, "#reply-body")
    page.keyboard.type("It was every ten minutes last year.")
    _tab_to(page, ".reply-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#p2")
    _tab_to(page, "#p1 details.flag summary")
    page.keyboard.press("Enter")
    _tab_to(page, "#p1 details.flag select")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#p1 details.flag button")
    shot(page, "keyboard-flag")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    from moderation.models import Flag

    assert Flag.objects.get().reason == "abuse"
    assert Post.objects.filter(thread=thread).count() == 2


@pytest.mark.parametrize(("phone", "lang"), [(False, "en"), (True, "ka")], ids=["desktop-en", "phone-ka"])
def test_a_reply_with_a_photo_and_a_refused_file(live, open_context, shot, tmp_path, phone, lang):
    from forum.models import PostPhoto
    from forum.photos import process_post_photos
    from tests.fixtracker.conftest import jpeg_bytes

    author = established(email="tamar@example.ge", display_name="Tamar")
    replier = established(email="levan@example.ge", display_name="Levan")
    thread = start_thread(author, title="A bench in Vake Park", body="The bench by the fountain is broken.")
    fake = tmp_path / "bench.jpg"
    fake.write_bytes(b"<?php echo 'not a photo'; ?>")
    real = tmp_path / "bench-photo.jpg"
    real.write_bytes(jpeg_bytes(size=(640, 480), gps=(41.7095, 44.7570)))
    page = _log_in(open_context(phone=phone, locale="ka-GE" if lang == "ka" else "en-GB"), live, lang, replier)
    page.goto(f"{live.url}/{lang}/forum/t/{thread.pk}/")

    # A file that is not a photo is refused with a message in the page's language; nothing is kept.
    page.fill("#reply-body", "Here it is.")
    page.set_input_files("#reply-photos", str(fake))
    page.click(".reply-form button[type=submit]")
    problem = page.locator("[role=alert]").first
    problem.wait_for()
    assert ("photo" in problem.inner_text().lower()) if lang == "en" else ("ფოტო" in problem.inner_text())
    assert Post.objects.filter(thread=thread).count() == 1 and not PostPhoto.objects.exists()
    shot(page, f"refused-{lang}")

    # A real photo goes with the reply; its public copy, made by the worker, carries no location.
    page.goto(f"{live.url}/{lang}/forum/t/{thread.pk}/")
    page.fill("#reply-body", "Here it is, broken on the left.")
    page.set_input_files("#reply-photos", str(real))
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector("#p2 .post-photos li")
    photo = PostPhoto.objects.get()
    process_post_photos(photo.post_id)  # what the Celery worker does after the commit
    page.reload()
    image = page.locator("#p2 .post-photos img")
    image.wait_for()
    assert image.get_attribute("alt") == ("Photo 1 of the post" if lang == "en" else "პოსტის ფოტო 1")
    served = page.request.get(live.url + image.get_attribute("src")).body()
    assert served[:3] == b"\xff\xd8\xff" and b"PhoneMaker" not in served and b"GPS" not in served
    shot(page, f"photo-{lang}")
