"""A city service answers in Chromium: queue, acknowledge, resolve with proof; the public sees it all."""

import pytest
from django.contrib.gis.geos import Point

from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category, Report, ReportPhoto
from fixtracker.tasks import process_report_photos
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from tests.fixtracker.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def _log_in(page, live, email):
    page.goto(f"{live.url}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/en/")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_staff_acknowledge_and_resolve_with_proof_and_the_public_sees_it(live, open_context, shot, tmp_path, phone):
    staff = MembershipFactory(user=UserFactory(email="giorgi@tbilservice.ge", verified=True),
                              department=DepartmentFactory(slug="tbilservice")).user
    lamp = Category.objects.get(slug="lamp-out")
    report, _ = do_submit_report(
        NewReport(category=lamp, point=Point(44.7560, 41.7105, srid=4326), description="ნათურა არ ანათებს",
                  email="nino@example.ge", photos=[(upload(jpeg_bytes((800, 600))), "image/jpeg", None)]),
        confirmed=True,
    )
    process_report_photos(report.pk)

    page = open_context(phone=phone, locale="en-GB").new_page()
    _log_in(page, live, staff.email)
    page.goto(f"{live.url}/en/staff/")
    page.wait_for_selector(f"tr[data-ref='{report.reference}']")
    shot(page, "queue")
    page.click(f"a:has-text('{report.reference}')")
    page.select_option("#new-status", "acknowledged")
    page.fill("#response-text", "We have the report; a crew is on its way.")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(".badge.status-acknowledged")

    proof = tmp_path / "proof.jpg"
    proof.write_bytes(jpeg_bytes((800, 600), color=(30, 160, 60)))
    page.select_option("#new-status", "resolved")
    page.fill("#response-text", "The lamp was replaced on pole 12.")
    page.set_input_files("#proof", str(proof))
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(".badge.status-resolved")
    shot(page, "resolved")
    assert Report.objects.get(pk=report.pk).status == "resolved"
    process_report_photos(report.pk)

    public = open_context(phone=True, locale="en-GB").new_page()
    public.goto(f"{live.url}/en/reports/{report.reference}/")
    public.wait_for_selector("text=The lamp was replaced on pole 12.")
    assert public.locator("text=We have the report; a crew is on its way.").is_visible()
    images = public.locator("main .photos img")
    assert images.count() == 2  # the resident's photo and the proof
    for i in range(2):
        assert public.evaluate("(img) => img.complete && img.naturalWidth > 0", images.nth(i).element_handle())
    assert public.locator(".clock-met").count() >= 1
    assert staff.email not in public.content()  # the department answers, not a named person
    shot(public, "public")
    assert ReportPhoto.objects.filter(report=report, kind="proof", public__gt="").count() == 1

    # Staff acted in English; the timeline names the department in each reader's language.
    department = report.department
    assert department.name_en in public.locator(".timeline").inner_text()
    georgian = open_context(phone=phone, locale="ka-GE").new_page()
    georgian.goto(f"{live.url}/ka/reports/{report.reference}/")
    timeline = georgian.locator(".timeline").inner_text()
    assert department.name_ka in timeline and department.name_en not in timeline
    georgian.locator(".timeline").scroll_into_view_if_needed()
    shot(georgian, "public-ka")


def test_staff_of_another_department_cannot_open_the_report(live, open_context):
    MembershipFactory(user=UserFactory(email="eka@environment.ge", verified=True),
                      department=DepartmentFactory(slug="environment"))
    lamp = Category.objects.get(slug="lamp-out")
    report, _ = do_submit_report(
        NewReport(category=lamp, point=Point(44.7560, 41.7105, srid=4326), description="ნათურა", email="a@example.ge"),
        confirmed=True,
    )
    page = open_context(locale="en-GB").new_page()
    _log_in(page, live, "eka@environment.ge")
    response = page.goto(f"{live.url}/en/staff/reports/{report.reference}/")
    assert response.status == 404


@pytest.mark.parametrize("phone, lang", [(False, "ka"), (True, "en")], ids=["desktop-ka", "phone-en"])
def test_staff_filter_their_queue_to_the_overdue_and_search_it(live, open_context, shot, phone, lang):
    from datetime import UTC, datetime

    staff = MembershipFactory(user=UserFactory(email="giorgi@tbilservice.ge", verified=True),
                              department=DepartmentFactory(slug="tbilservice")).user
    lamp = Category.objects.get(slug="lamp-out")
    late, fresh = (
        do_submit_report(NewReport(category=lamp, point=Point(44.7560, 41.7105, srid=4326), description=text,
                                   email=email), confirmed=True)[0]
        for text, email in (("ბოძთან ნათურა ჩამქრალია", "nino@example.ge"), ("ნათურა ციმციმებს", "eka@example.ge"))
    )
    Report.objects.filter(pk=late.pk).update(response_due_at=datetime(2025, 1, 6, 9, tzinfo=UTC))

    page = open_context(phone=phone, locale="ka-GE" if lang == "ka" else "en-GB").new_page()
    _log_in(page, live, staff.email)
    page.goto(f"{live.url}/{lang}/staff/")
    page.wait_for_selector(f"tr[data-ref='{fresh.reference}']")
    page.check("input[name=overdue]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**overdue=1**")
    assert page.locator(f"tr[data-ref='{late.reference}'] .clock-overdue").count() == 1
    assert page.locator(f"tr[data-ref='{fresh.reference}']").count() == 0
    shot(page, f"queue-overdue-{lang}")
    page.uncheck("input[name=overdue]")
    page.fill("#q", fresh.reference)
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(f"tr[data-ref='{fresh.reference}']")
    assert page.locator(f"tr[data-ref='{late.reference}']").count() == 0
    page.fill("#q", "ab")
    page.click("form.filters button[type=submit]")
    words = "საძიებლად აკრიფეთ" if lang == "ka" else "Type at least 3 characters"
    page.wait_for_selector(f"text={words}")
    shot(page, f"queue-bad-search-{lang}")


@pytest.mark.parametrize("phone, lang", [(True, "ka"), (False, "en")], ids=["phone-ka", "desktop-en"])
def test_staff_see_the_place_the_next_step_first_and_keep_what_they_typed_after_a_refusal(
    live, open_context, shot, phone, lang
):
    staff = MembershipFactory(user=UserFactory(email="giorgi@tbilservice.ge", verified=True),
                              department=DepartmentFactory(slug="tbilservice")).user
    lamp = Category.objects.get(slug="lamp-out")
    report, _ = do_submit_report(
        NewReport(category=lamp, point=Point(44.7560, 41.7105, srid=4326), description="ნათურა არ ანათებს",
                  email="nino@example.ge"),
        confirmed=True,
    )
    page = open_context(phone=phone, locale="ka-GE" if lang == "ka" else "en-GB").new_page()
    _log_in(page, live, staff.email)
    page.goto(f"{live.url}/{lang}/staff/reports/{report.reference}/")
    assert page.locator("#place a[href='geo:41.710500,44.756000']").is_visible()
    assert page.input_value("#new-status") == "acknowledged"
    shot(page, f"staff-report-place-{lang}")
    page.select_option("#new-status", "resolved")
    page.fill("#response-text", "ნათურა შეიცვალა")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(".messages .error")
    assert page.input_value("#new-status") == "resolved"
    assert page.input_value("#response-text") == "ნათურა შეიცვალა"
    words = "შედეგის ფოტო" if lang == "ka" else "Add a photo of the result"
    assert words in page.locator(".messages").inner_text()
    shot(page, f"staff-report-refused-{lang}")
    assert Report.objects.get(pk=report.pk).status == "new"
