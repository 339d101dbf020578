"""Reporting a problem from a phone (360×740) at /<lang>/report/, end to end in Chromium.

Where (the phone's position, a tap on the map), what (with the deadlines shown before sending),
a photo (its EXIF position offered as the place), "is it one of these?", sending, and a report
kept on the phone while the connection is down and sent exactly once when it returns.
"""

import io
import re

import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category, Report

pytestmark = pytest.mark.browser

VAKE = {"latitude": 41.7105, "longitude": 44.7560, "accuracy": 20}  # Chavchavadze Avenue
PHOTO_PLACE = (41.7112, 44.7570)  # about 110 m away, where the photo was taken
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def patient_expect():
    """Assertions wait as long as actions do (the context's 15 s): a busy machine is not a failure."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def jpeg(path, gps=None):
    """A small real JPEG, with the camera's GPS position in its EXIF when given (lat, lon)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:

        def dms(value):
            d = int(value)
            m = int((value - d) * 60)
            return (float(d), float(m), round(((value - d) * 60 - m) * 60, 3))

        exif[0x8825] = {1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1])}
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (190, 120, 40)).save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return str(path)


def phone(open_context, **options):
    return open_context(phone=True, locale="en-GB", **options).new_page()


def log_in(page, live, user):
    page.goto(live.url + "/en/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/en/$"))


def lamp_out_nearby(description="Lamp out by the bus stop") -> Report:
    new = NewReport(
        category=Category.objects.get(slug="lamp-out"),
        point=Point(44.75605, 41.71053, srid=4326),
        description=description,
    )
    return do_submit_report(new, confirmed=True)[0]


def test_it_reports_a_street_light_where_the_phone_is(live, open_context, shot, resident, tmp_path):
    page = phone(open_context, geolocation=VAKE, permissions=["geolocation"])
    log_in(page, live, resident)
    page.goto(live.url + "/en/report/")
    where = page.locator("#where-status")
    expect(where).to_contain_text("The pin is at your location")
    expect(where).to_contain_text("District: Vake")
    shot(page, "1-located")

    page.click(".category-tile:has-text('Lamp out')")
    deadlines = page.locator("#deadlines")
    expect(deadlines.locator(".respond-within")).to_have_text("1 working day")
    expect(deadlines.locator(".resolve-within")).to_have_text("3 working days")
    expect(deadlines).to_contain_text("Tbilservice")
    shot(page, "2-deadlines")
    page.fill("#answer_pole", "17-42")

    page.set_input_files("#photo-gallery", jpeg(tmp_path / "lamp.jpg", gps=PHOTO_PLACE))
    offer = page.locator("#photo-location")
    expect(offer).to_contain_text("Use the photo's location?")
    expect(page.locator(".photo-preview img")).to_have_count(1)
    offer.scroll_into_view_if_needed()
    shot(page, "3-photo-location")
    offer.get_by_role("button", name="Use the photo's location").click()
    expect(page.locator("#lat")).to_have_value("41.711200")

    page.fill("#description", "The lamp at the bus stop has been out for a week.")
    page.click("#send")
    result = page.locator("#report-result")
    expect(result).to_contain_text(re.compile(r"TB-\d{6}"))
    expect(result).to_contain_text("Your report is public")
    expect(result.locator(".clock")).to_have_count(2)
    shot(page, "4-sent")

    report = Report.objects.get()
    assert report.reporter == resident and report.confirmed_at is not None
    assert report.point.distance(Point(PHOTO_PLACE[1], PHOTO_PLACE[0], srid=4326)) < 1e-5
    assert report.answers == {"pole": "17-42"}
    assert report.photos.count() == 1
    assert report.reference in result.inner_text()

    result.get_by_role("link", name="Open the report's page").click()
    page.wait_for_url(f"**/en/reports/{report.reference}/")
    expect(page.locator(".clocks .clock")).to_have_count(2)
    expect(page.locator(".clocks")).to_contain_text("left")
    shot(page, "5-report-page")

    page.goto(live.url + "/en/report/")
    expect(page.locator("#my-reports")).to_contain_text(report.reference)
    expect(page.locator("#my-reports a[href$='/profile/']")).to_be_visible()


def test_it_offers_to_support_a_report_already_made_nearby(live, open_context, shot):
    existing = lamp_out_nearby()
    page = phone(open_context, geolocation=VAKE, permissions=["geolocation"])
    page.goto(live.url + "/en/report/")
    expect(page.locator("#where-status")).to_contain_text("The pin is at your location")
    page.click(".category-tile:has-text('Lamp out')")

    offer = page.locator("#duplicates")
    expect(offer).to_contain_text("Is it one of these?")
    expect(offer).to_contain_text("Lamp out by the bus stop")
    expect(offer).to_contain_text(existing.reference)
    offer.scroll_into_view_if_needed()
    shot(page, "1-offer")

    offer.get_by_role("button", name="Add my support").click()
    expect(page.locator("#error-email")).to_be_visible()  # an anonymous supporter needs an email
    page.fill("#email", "lado@example.ge")
    offer.get_by_role("button", name="Add my support").click()
    expect(offer.locator(".support-status")).to_contain_text("Check your email and open the link we sent")
    shot(page, "2-support-waits-for-its-link")
    existing.refresh_from_db()
    assert existing.supporters_count == 1  # counted only once the address's owner opens the link
    assert existing.supporters.get().email == "lado@example.ge"
    assert [m.to for m in mail.outbox] == [["lado@example.ge"]]
    link = re.search(r"/en/reports/support/confirm/\S+/", mail.outbox[0].body).group(0)
    confirm = page.context.new_page()  # the link, opened as from the mail app
    confirm.goto(live.url + link)
    confirm.get_by_role("button", name="Confirm my support").click()
    expect(confirm.locator(".messages")).to_contain_text("Thank you: your support is counted.")
    shot(confirm, "3-support-counted")
    existing.refresh_from_db()
    assert existing.supporters_count == 2
    confirm.close()
    mail.outbox.clear()

    # Still free to file a new one: the offer was on screen, so "Send" sends.
    page.fill("#description", "A second lamp, on the other side of the street.")
    page.click("#send")
    expect(page.locator("#report-result")).to_contain_text("Check your email.")
    assert Report.objects.count() == 2


def test_it_lets_a_reporter_without_location_tap_the_map_and_asks_to_confirm_by_email(live, open_context, shot):
    page = phone(open_context)  # no geolocation permission
    page.goto(live.url + "/en/report/")
    page.click("#locate")
    where = page.locator("#where-status")
    expect(where).to_contain_text("that is all right")
    expect(where).to_contain_text("Tap the map where the problem is")
    shot(page, "1-denied")

    page.locator("#report-map").tap(position={"x": 180, "y": 140})
    expect(where).to_contain_text("The pin is where you tapped.")
    expect(where).to_contain_text("District:")
    shot(page, "2-tapped")

    page.click(".category-tile:has-text('Overflowing bin')")
    expect(page.locator("#deadlines .respond-within")).to_have_text("4 working hours")
    page.fill("#description", "The bin by the school has not been emptied for days.")
    page.click("#send")
    expect(page.locator("#error-email")).to_contain_text("Give your email")  # checked before sending
    page.fill("#email", "Tamar@Example.ge")
    shot(page, "3-email")
    page.click("#send")

    result = page.locator("#report-result")
    expect(result).to_contain_text("Check your email.")
    expect(result).to_contain_text("We sent a link to Tamar@Example.ge.")
    shot(page, "4-check-email")
    report = Report.objects.get()
    assert report.confirmed_at is None and report.reporter_email == "tamar@example.ge"
    assert report.category.slug == "overflowing-bin" and report.district is not None
    assert [m.to for m in mail.outbox] == [["tamar@example.ge"]]
    expect(page.locator("#my-reports")).to_contain_text(report.reference)


def test_it_shows_the_servers_refusal_next_to_the_field_in_georgian(live, open_context, shot):
    rustavi = {"latitude": 41.5495, "longitude": 45.0084, "accuracy": 30}
    page = open_context(phone=True, geolocation=rustavi, permissions=["geolocation"]).new_page()
    page.goto(live.url + "/ka/report/")
    expect(page.locator("#where-status")).to_have_class(re.compile("is-warning"))  # outside Tbilisi
    page.click(".category-tile:has(input[value=litter])")
    page.fill("#description", "ნაგავი ტროტუარზე")
    page.fill("#email", "nino@example.ge")
    page.click("#send")

    error = page.locator("#error-location")
    expect(error).to_be_visible()
    assert re.search(r"[ა-ჰ]", error.inner_text()), error.inner_text()
    expect(page.locator("#description")).to_have_value("ნაგავი ტროტუარზე")  # nothing typed is lost
    shot(page, "1-refused")
    assert Report.objects.count() == 0


def outbox_size(page) -> int:
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("fix-tbilisi", 1);
            open.onsuccess = () => {
                const count = open.result.transaction("outbox").objectStore("outbox").count();
                count.onsuccess = () => resolve(count.result);
                count.onerror = () => reject(count.error);
            };
            open.onerror = () => reject(open.error);
        })"""
    )


def test_it_keeps_a_report_on_the_phone_while_offline_and_sends_it_once(live, open_context, shot, tmp_path):
    context = open_context(phone=True, locale="en-GB", geolocation=VAKE, permissions=["geolocation"])
    page = context.new_page()
    page.goto(live.url + "/en/report/")
    expect(page.locator("#where-status")).to_contain_text("District: Vake")
    page.click(".category-tile:has-text('Lamp on by day')")
    expect(page.locator("#deadlines")).to_be_visible()
    page.set_input_files("#photo-camera", jpeg(tmp_path / "day.jpg"))
    expect(page.locator(".photo-preview")).to_have_count(1)
    page.fill("#description", "Burning all day long.")
    page.fill("#email", "giorgi@example.ge")

    context.set_offline(True)
    page.click("#send")
    expect(page.locator("#report-result")).to_contain_text("Saved on your phone: it will be sent when you are online.")
    expect(page.locator("#outbox")).to_contain_text("Lamp on by day")
    shot(page, "1-saved-on-the-phone")
    assert outbox_size(page) == 1
    assert Report.objects.count() == 0

    # The connection comes back but drops while the answer is on its way: the server stores the
    # report, the phone never hears of it and keeps it queued, across a reload too.
    tries = []

    def lost_answer(route):
        if route.request.method != "POST":
            return route.continue_()
        tries.append(route.fetch().status)
        route.abort("connectionreset")

    page.route("**/api/v1/reports/", lost_answer)
    context.set_offline(False)
    page.wait_for_selector("#outbox .outbox-item.is-queued[data-tries='1']")
    assert tries == [201] and Report.objects.count() == 1
    page.reload()
    page.wait_for_selector("#outbox .outbox-item.is-queued[data-tries='2']")
    assert tries == [201, 200]  # the same idempotency key: the server answered with the first report
    expect(page.locator("#outbox")).to_contain_text("Saved on your phone")
    shot(page, "2-still-queued-after-reload")
    assert outbox_size(page) == 1

    # Back online for real: sent on the `online` event, and the phone forgets it.
    page.unroute("**/api/v1/reports/")
    context.set_offline(True)
    context.set_offline(False)
    result = page.locator("#report-result")
    expect(result).to_contain_text("Your report is sent")
    report = Report.objects.get()
    expect(result).to_contain_text(report.reference)
    expect(page.locator("#outbox")).to_be_hidden()
    shot(page, "3-sent-when-online")
    assert outbox_size(page) == 0
    assert Report.objects.count() == 1 and report.photos.count() == 1


def test_it_takes_a_report_without_javascript_placed_by_the_photos_position(live, open_context, shot, tmp_path):
    page = open_context(phone=True, locale="en-GB", java_script_enabled=False).new_page()
    page.goto(live.url + "/en/report/")
    expect(page.locator("#report-map")).to_be_hidden()
    page.click(".category-tile:has-text('Litter')")
    page.set_input_files("#photo-gallery", jpeg(tmp_path / "litter.jpg", gps=PHOTO_PLACE))
    page.fill("#description", "Bags left by the bus stop.")
    page.click("#send")
    expect(page.locator("#error-email")).to_contain_text("Give your email")  # the server's check, next to the field
    expect(page.locator("#description")).to_have_value("Bags left by the bus stop.")
    shot(page, "1-refused")

    page.fill("#email", "eka@example.ge")
    page.set_input_files("#photo-gallery", jpeg(tmp_path / "litter.jpg", gps=PHOTO_PLACE))  # files are not kept
    page.click("#send")
    expect(page.locator(".messages")).to_contain_text("Check your email")
    shot(page, "2-saved")
    report = Report.objects.get()
    assert report.category.slug == "litter" and report.reporter_email == "eka@example.ge"
    assert report.point.distance(Point(PHOTO_PLACE[1], PHOTO_PLACE[0], srid=4326)) < 1e-5
    assert report.reference in page.locator(".messages").inner_text()


def test_the_reporting_page_opens_without_a_connection(live, open_context):
    context = open_context(phone=True, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live.url}/en/report/")
    page.wait_for_function("navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true)")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now controlled: the page and its assets pass through the worker into its cache
    page.wait_for_selector("#report-form")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#report-form")
    assert page.locator("#report-form").is_visible()
    context.set_offline(False)
