"""Subscribe to a drawn area, confirm by email, and hear of a new permit there — exactly once.

Email goes through real SMTP to a local aiosmtpd sink; nothing leaves the machine.
"""

import email
import re
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from layers.importing import Mapping, run_import
from subscriptions.delivery import deliver_due
from subscriptions.models import Delivery, Subscription
from tests.layers.conftest import SAMPLES

pytestmark = pytest.mark.browser

# Around Chavchavadze Avenue 64 in Vake (lon, lat), clockwise.
BLOCK = [(44.7540, 41.7095), (44.7580, 41.7095), (44.7580, 41.7115), (44.7540, 41.7115)]


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    import socket

    with socket.socket() as probe:  # aiosmtpd checks its own start-up by connecting: no port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.SUBSCRIPTIONS_INSTANT_GATHER_SECONDS = 0
    yield sink
    controller.stop()


def _body(message, subtype="plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode()
    return ""


def _draw(page, points):
    for lon, lat in [*points, points[0]]:
        xy = page.evaluate("([lat, lon]) => window.smartmapSubscribe.map.latLngToContainerPoint([lat, lon])", [lat, lon])
        box = page.locator("#subscribe-map").bounding_box()
        page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])


def _import_permit(tmp_path, lon, lat, external_id):
    """A register row dated today, imported through the real import core."""
    rows = (SAMPLES / "construction_permits.csv").read_text(encoding="utf-8-sig").splitlines()
    header = rows[0]
    template = [r for r in rows if r.startswith("A-2024-0500;")][0].split(";")
    cols = header.split(";")
    template[cols.index("განცხადების №")] = external_id
    template[cols.index("სტატუსის თარიღი")] = date.today().strftime("%d.%m.%Y")
    template[cols.index("განედი")], template[cols.index("გრძედი")] = str(lat), str(lon)
    path = tmp_path / f"{external_id}.csv"
    path.write_text(header + "\r\n" + ";".join(template) + "\r\n", encoding="utf-8-sig")
    mapping = Mapping.load(SAMPLES / "construction_permits.yaml")
    mapping.snapshot = False
    run_import(mapping, path, commit=True)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_it_subscribes_to_a_drawn_area_and_tells_of_a_new_permit_once(live, open_context, shot, smtp, tmp_path, phone):
    page = open_context(phone=phone, locale="en-GB").new_page()
    page.goto(f"{live.url}/en/subscribe/")
    page.wait_for_selector("#subscribe-map[data-ready='1']")
    page.check("input[name=area_kind][value=polygon]")
    page.evaluate("window.smartmapSubscribe.map.setView([41.7105, 44.7560], 16, {animate: false})")
    _draw(page, BLOCK)
    page.wait_for_function("document.querySelector('input[name=area_geojson]').value.length > 20")
    page.check("input[name=topics][value=construction]")
    page.check("input[name=topics][value=trees]")
    page.fill("#email", "tamar@example.ge")
    page.wait_for_selector(".preview:not([hidden])")
    shot(page, "drawn")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("text=Check your email")
    assert page.evaluate("document.documentElement.scrollWidth") <= (360 if phone else 1280)

    # Double opt-in: the confirmation email, read from the SMTP sink.
    assert len(smtp.messages) == 1
    confirm = re.search(r"https?://\S+/subscriptions/confirm/\S+/", _body(smtp.messages[0])).group(0)
    page.goto(live.url + confirm.split("8000", 1)[-1])
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Subscription confirmed")
    subscription = Subscription.objects.get()
    assert subscription.area_kind == "polygon" and subscription.confirmed_at is not None

    # A permit imported today inside the area, and one far outside it.
    _import_permit(tmp_path, 44.7560, 41.7105, "NEW-INSIDE")
    _import_permit(tmp_path, 44.8015, 41.6934, "NEW-OUTSIDE")
    assert deliver_due() == 1
    assert deliver_due() == 0
    notices = smtp.messages[1:]
    assert len(notices) == 1
    notice = notices[0]
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = _body(notice)
    assert "NEW-OUTSIDE" not in text and Delivery.objects.count() == 1

    # The link to the permit works…
    link = re.search(r"https?://\S+/en/layers/construction-permits/\d+/", text).group(0)
    page.goto(live.url + link.split("8000", 1)[-1])
    assert page.locator("h1").is_visible()
    shot(page, "permit")
    # …and so does unsubscribing, without logging in.
    unsubscribe = re.search(r"<(https?://\S+/unsubscribe/\S+/)>", notice["List-Unsubscribe"]).group(1)
    page.goto(live.url + unsubscribe.split("8000", 1)[-1])
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=You are unsubscribed")
    assert Subscription.objects.get().unsubscribed_at is not None


def test_it_subscribes_to_a_circle_and_to_a_district(live, open_context, smtp):
    page = open_context(locale="en-GB").new_page()
    page.goto(f"{live.url}/en/subscribe/")
    page.wait_for_selector("#subscribe-map[data-ready='1']")
    page.check("input[name=area_kind][value=circle]")
    page.fill("#radius_m", "500")
    box = page.locator("#subscribe-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.fill("#email", "levan@example.ge")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("text=Check your email")
    circle = Subscription.objects.get()
    assert circle.area_kind == "circle" and circle.radius_m == 500

    page.goto(f"{live.url}/en/subscribe/")
    page.select_option("select[name=district]", "2")
    page.fill("#email", "eka@example.ge")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("text=Check your email")
    assert Subscription.objects.filter(area_kind="district", district__number=2).exists()


def test_it_explains_a_refused_area_in_georgian(live, open_context, smtp):
    page = open_context(locale="ka-GE").new_page()
    page.goto(f"{live.url}/ka/subscribe/")
    page.wait_for_selector("#subscribe-map[data-ready='1']")
    page.check("input[name=area_kind][value=polygon]")
    page.fill("#email", "nino@example.ge")
    page.click("#subscribe-form button[type=submit]")  # no area drawn
    error = page.locator(".errorbox li").first
    error.wait_for()
    assert re.search(r"[ა-ჰ]", error.inner_text())
    assert Subscription.objects.count() == 0


def test_it_puts_a_circle_around_an_address_found_by_search(live, open_context, smtp):
    from layers.gazetteer import DEMO_FILE, load_places, read_places

    load_places(read_places(DEMO_FILE), source="demo", is_demo=True)
    page = open_context(phone=True, locale="en-GB").new_page()
    page.goto(f"{live.url}/en/subscribe/")
    page.wait_for_selector("#subscribe-map[data-ready='1']")
    page.check("input[name=area_kind][value=circle]")
    page.fill("#subscribe-search-input", "freedom square")
    page.click("#subscribe-search-results [role=option] >> nth=0")
    page.wait_for_function("document.querySelector('input[name=lon]').value !== ''")
    assert abs(float(page.input_value("input[name=lon]")) - 44.8015) < 0.001
    page.fill("#email", "gela@example.ge")
    page.click("#subscribe-form button[type=submit]")
    page.wait_for_selector("text=Check your email")
    circle = Subscription.objects.get()
    assert circle.area_kind == "circle" and abs(circle.center.x - 44.8015) < 0.001
