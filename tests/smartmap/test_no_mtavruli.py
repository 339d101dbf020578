"""No Mtavruli anywhere the portal speaks: pages, the admin, API answers (emails: tests/conftest.py).

Georgian has one case. Since Unicode 11, capitalising Georgian (Django's `capfirst`, `str.upper`,
`capitalize`, `title`) turns Mkhedruli into Mtavruli (U+1C90–U+1CBF), capitals no Georgian text
uses: "Განცხადება", "Მოჭრა". The walk goes through every page of tests/browser/site_pages.py as its
visitor sees it, every admin list, form and filter, and the API's answers, in Georgian; each HTML page
also names its twins in both languages (hreflang).
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tests.browser.site_pages import PAGES, build_site_content

pytestmark = pytest.mark.django_db

MTAVRULI = re.compile("[\u1c90-\u1cbf]+")


def mtavruli_in(name: str, text: str) -> list[str]:
    return [f"{name}: …{text[max(0, m.start() - 60) : m.end() + 30]}…" for m in MTAVRULI.finditer(text)]


@pytest.fixture
def content(client):
    return build_site_content()


def _as(client, who, content):
    from accounts.models import User

    client.logout()
    if who:
        client.force_login(User.objects.get(email=content.resident_email if who == "resident" else content.staff_email))
    return client


def _hreflang_wrong(url: str, status: int, body: str) -> list[str]:
    """Pages name their ka and en twins (x-default: ka); a 404 names none."""
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body))
    if status == 404:
        return [f"{url}: a 404 with hreflang links {links}"] if links else []
    lang = url.split("/")[1]
    wanted = {code: "http://testserver" + url.replace(f"/{lang}/", f"/{code}/", 1) for code in ("ka", "en")}
    wanted["x-default"] = wanted["ka"]
    return [] if links == wanted else [f"{url}: hreflang {links}, wanted {wanted}"]


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_no_page_has_mtavruli_and_every_page_names_its_twins(client, content, lang):
    found = []
    for page in PAGES:
        url = page.url(content, lang)
        response = _as(client, page.who, content).get(url)
        assert response.status_code in (200, 404), f"{url}: {response.status_code}"
        body = response.content.decode()
        found += mtavruli_in(url, body) + _hreflang_wrong(url, response.status_code, body)
    assert not found, "\n".join(found)


def test_no_api_description_has_mtavruli(client, content):
    """OPTIONS (DRF lists each field with its label), the browsable API and the OpenAPI schema."""
    _as(client, "resident", content)
    found = []
    for url in ("/api/v1/reports/", "/api/v1/subscriptions/", "/api/v1/search/", "/api/v1/reports/nearby/"):
        response = client.options(url + "?lang=ka", HTTP_ACCEPT="application/json")
        found += mtavruli_in(f"OPTIONS {url}", response.content.decode())
    for url in ("/api/v1/subscriptions/", "/api/v1/reports/categories/", "/api/schema/"):
        response = client.get(url + "?lang=ka", HTTP_ACCEPT="text/html" if "schema" not in url else "*/*")
        assert response.status_code < 500, url
        found += mtavruli_in(url, response.content.decode())
    assert not found, "\n".join(found)


def _admin_urls():
    for model in admin.site._registry:
        meta = model._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        yield reverse(f"{base}_changelist")
        yield reverse(f"{base}_add")
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            yield reverse(f"{base}_change", args=[obj.pk])
    yield reverse("admin:index")


def test_the_admin_has_no_mtavruli(client, content, admin_user):
    client.force_login(admin_user)
    found = []
    with translation.override("ka"):
        urls = list(_admin_urls())
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), f"{url}: {response.status_code}"
        found += mtavruli_in(url, response.content.decode())
    assert not found, "\n".join(found)


def _api_urls(content):
    from layers.registry import all_layers

    yield "/api/v1/layers/"
    yield "/api/v1/districts/"
    for layer in all_layers():
        yield f"/api/v1/layers/{layer.slug}/features/?bbox=44.6,41.6,45.0,41.85"
        yield f"/api/v1/layers/{layer.slug}/features/?status=no-such-status"
    yield f"/api/v1/layers/construction-permits/features/{content.permit.pk}/"
    yield f"/api/v1/layers/tree-permits/features/{content.tree_permit.pk}/"
    yield f"/api/v1/layers/projects/features/{content.project.pk}/"
    yield "/api/v1/search/?q=ჭავჭავაძე"
    yield "/api/v1/reports/categories/"
    yield "/api/v1/reports/nearby/?lon=44.756&lat=41.7105"
    yield f"/api/v1/reports/{content.report.reference}/"
    yield "/api/v1/subscriptions/topics/"
    yield "/api/v1/stats/options/"
    yield "/api/v1/stats/?layer=tree-permits&by=district"
    yield "/api/v1/stats/trees/"
    yield "/api/v1/no-such-thing/"


@pytest.mark.parametrize("ask", ["lang", "cookie"])
def test_no_api_answer_has_mtavruli(client, content, ask):
    from django.conf import settings

    if ask == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ka"
    found = []
    for url in _api_urls(content):
        asked = url + ("&" if "?" in url else "?") + "lang=ka" if ask == "lang" else url
        response = client.get(asked)
        assert response.status_code < 500, f"{asked}: {response.status_code}"
        found += mtavruli_in(asked, response.content.decode())
    assert not found, "\n".join(found)
