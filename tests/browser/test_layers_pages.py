"""The layers' own pages: lists that work without JavaScript, item pages and project pages."""

import io
from datetime import date
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from layers.demo import load_demo
from layers.models import ConstructionPermit, InfrastructureProject, ProjectMilestone, ProjectPhoto

pytestmark = pytest.mark.browser


@pytest.fixture
def permits(live):
    load_demo("construction-permits", 40, seed=11)
    return ConstructionPermit.objects.public()


def _no_js(open_context, **options):
    return open_context(java_script_enabled=False, **options).new_page()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_it_filters_the_list_without_javascript(live, permits, open_context, shot, phone):
    page = _no_js(open_context, phone=phone, locale="en-GB")
    page.goto(live.url + "/en/layers/construction-permits/")
    assert f"{permits.count()} results" in page.locator(".list-summary").inner_text()
    page.check("input[name=status][value=issued]")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_url("**status=issued**")
    issued = permits.filter(status="issued").count()
    assert page.locator(".list-summary [role=status]").inner_text() == f"{issued} result{'s' if issued != 1 else ''}"
    assert page.locator(".item-list li").count() == min(issued, 25)
    # The map link carries the same filter in the permalink's form.
    link = unquote(page.locator(".list-summary a").get_attribute("href"))
    assert link == "/en/#layers=construction-permits&status.construction-permits=issued"
    assert page.evaluate("document.documentElement.scrollWidth") <= (360 if phone else 1280)
    shot(page, "filtered")

    first = page.locator(".item-list .item-link").first
    first.click()
    page.wait_for_url("**/en/layers/construction-permits/*/")
    assert page.locator(".timeline li").count() >= 1


def test_it_explains_a_bad_date_instead_of_failing(live, permits, open_context, shot):
    for lang, words in (("ka", "YYYY-MM-DD"), ("en", "Enter the date as YYYY-MM-DD")):
        page = _no_js(open_context, phone=True)
        response = page.goto(live.url + f"/{lang}/layers/construction-permits/?from=2025-13-45&status=refused")
        assert response.status == 200
        problems = page.locator(".form-problems")
        assert words in problems.inner_text()
        if lang == "ka":
            assert "ფორმატით" in problems.inner_text()
        # The valid filter still applies.
        refused = permits.filter(status="refused").count()
        assert page.locator(".item-list li").count() == min(refused, 25)
        assert page.locator("input[name=from]").get_attribute("aria-invalid") == "true"
        shot(page, f"bad-date-{lang}")


def test_it_pages_through_a_long_list(live, open_context):
    load_demo("construction-permits", 60, seed=12)
    page = _no_js(open_context, locale="en-GB")
    page.goto(live.url + "/en/layers/construction-permits/?district=")
    assert "Page 1 of 3" in page.locator(".pager").inner_text()
    page.click(".pager a[rel=next]")
    page.wait_for_url("**page=2")
    assert "Page 2 of 3" in page.locator(".pager").inner_text()
    assert page.locator(".item-list").get_attribute("start") == "26"


def test_it_shows_an_item_page_with_sharing_and_open_graph(live, permits, open_context, shot):
    permit = permits.order_by("id").first()
    today = timezone.localdate()
    ConstructionPermit.objects.filter(pk=permit.pk).update(
        consultation_start=today,
        consultation_end=date.fromordinal(today.toordinal() + 5),
        consultation_info="Write to the City Hall.",
        documents=[{"url": "https://tas.ge/docs/a.pdf", "title": "Decision"}, {"url": "javascript:alert(1)"}],
    )
    page = open_context(locale="en-GB").new_page()
    page.goto(live.url + f"/en/layers/construction-permits/{permit.pk}/")
    assert page.locator("h1").inner_text() == permit.title
    assert "5 days left to take part." in page.locator(".consultation").inner_text()
    assert page.locator(".documents a").count() == 1  # the javascript: link is never shown
    og_url = page.locator("meta[property='og:url']").get_attribute("content")
    assert og_url == f"{live.url}/en/layers/construction-permits/{permit.pk}/"
    assert page.locator("meta[property='og:title']").get_attribute("content") == permit.title
    assert page.locator("meta[property='og:type']").get_attribute("content") == "article"
    assert page.locator("meta[name='twitter:card']").count() == 1
    shares = page.locator(".share-links a")
    hrefs = [shares.nth(i).get_attribute("href") for i in range(shares.count())]
    assert any(h.startswith("https://www.facebook.com/sharer/sharer.php?u=http") for h in hrefs)
    assert any(h.startswith("https://t.me/share/url?url=") for h in hrefs)
    assert any(h.startswith("mailto:?subject=") for h in hrefs)
    # No third-party script anywhere on the page.
    scripts = page.locator("script[src]")
    assert all(scripts.nth(i).get_attribute("src").startswith("/") for i in range(scripts.count()))
    page.wait_for_selector("#item-map[data-ready='true']")
    assert page.locator(".share-copy").is_visible()
    shot(page, "desktop")
    page.locator(".timeline").scroll_into_view_if_needed()
    shot(page, "timeline")


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile("works.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def project(live, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo("projects", 14, seed=5)
    project = InfrastructureProject.objects.order_by("id").first()
    project.body = "<p>New pavements and <strong>trees</strong>.</p><script>alert(1)</script>"
    project.contractor = "შპს გზა"
    project.funding_source = "Tbilisi City Hall budget"
    project.planned_start, project.planned_end = date(2025, 3, 1), date(2026, 6, 30)
    project.actual_start = date(2025, 4, 15)
    project.progress = 35
    project.save()
    ProjectMilestone.objects.create(
        project=project, title="Design approved", due=date(2025, 2, 1), done_on=date(2025, 2, 3)
    )
    ProjectMilestone.objects.create(project=project, title="Pavements laid", due=date(2026, 5, 1))
    ProjectPhoto.objects.create(project=project, image=_photo(), caption="Works on the street")
    return project


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_it_lists_projects_and_shows_a_project_page(live, project, open_context, shot, phone):
    page = open_context(phone=phone, locale="en-GB").new_page()
    page.goto(live.url + "/en/projects/")
    cards = page.locator(".project-card")
    assert cards.count() == 12  # one page of the 14
    assert page.locator(".pager").is_visible()
    assert page.locator(".project-card .progress-bar").first.get_attribute("aria-valuenow") is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= (360 if phone else 1280)
    shot(page, "index")

    page.goto(live.url + project.get_absolute_url().replace("/ka/", "/en/"))
    assert page.locator("h1").inner_text() == project.title
    body = page.locator(".project-body")
    assert body.locator("strong").inner_text() == "trees"
    assert body.locator("script").count() == 0  # sanitised on save
    assert page.locator(".milestones li").count() == 2
    assert page.locator(".milestones li.done").count() == 1
    assert page.locator(".photos img").count() == 1
    assert "35%" in page.locator(".item-head .progress").inner_text()
    assert "Tbilisi City Hall budget" in page.locator(".facts").inner_text()
    assert page.locator(".dates").is_visible()
    assert page.locator(".timeline li").count() >= 1
    page.wait_for_selector("#item-map[data-ready='true']")
    assert page.evaluate("document.documentElement.scrollWidth") <= (360 if phone else 1280)
    shot(page, "project")


def test_it_sends_a_project_item_link_to_the_project_page(live, project, open_context):
    page = _no_js(open_context, locale="en-GB")
    page.goto(live.url + f"/en/layers/projects/{project.pk}/")
    assert page.url.endswith(f"/en/projects/{project.slug}/")


def test_it_links_the_sections_from_a_menu_on_a_phone(live, open_context, shot):
    page = open_context(phone=True).new_page()
    page.goto(live.url + "/ka/projects/")
    brand = page.locator(".brand")
    assert brand.locator(".brand-short").is_visible()
    assert brand.locator(".brand-short").inner_text() == "ჭკვიანი რუკა"
    # Whole, not cut off with an ellipsis.
    assert brand.locator(".brand-short").evaluate("(el) => el.scrollWidth <= el.clientWidth")
    box = brand.bounding_box()
    assert box["x"] + box["width"] <= page.locator(".menu-button").bounding_box()["x"]
    assert not page.locator(".more-menu").is_visible()
    assert page.locator(".mainnav > a:visible").count() == 0  # on a phone every section is in the menu
    page.click(".menu-button")
    assert page.locator(".menu-button").get_attribute("aria-expanded") == "true"
    page.locator(".more-menu a", has_text="მშენებლობის ნებართვები").wait_for()
    shot(page, "menu-open")
    page.keyboard.press("Escape")
    assert not page.locator(".more-menu").is_visible()
