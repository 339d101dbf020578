"""404 and 500 pages speak the page's language, in the site's design, and reveal nothing inside."""

import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "title"), [("ka", "ეს გვერდი არ არსებობს"), ("en", "This page does not exist")])
def test_it_answers_an_unknown_page_with_the_sites_404_in_the_pages_language(client, lang, title):
    response = client.get(f"/{lang}/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in body
    assert title in body
    assert 'class="topbar"' in body and "/static/css/site" in body
    assert "urlpatterns" not in body and "URLconf" not in body


@pytest.mark.parametrize(("lang", "title"), [("ka", "ჩვენს მხარეს"), ("en", "Something went wrong on our side")])
def test_it_answers_a_crash_with_the_sites_500_in_the_pages_language(lang, title):
    with translation.override(lang):
        response = server_error(RequestFactory().get(f"/{lang}/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in body
    assert title in body
    assert 'class="topbar"' in body
    assert "Traceback" not in body


# No database for this one (no django_db mark: any query fails the test): the 500 page is what a
# visitor sees when the database is the thing that broke.
@pytest.mark.parametrize(("lang", "title"), [("ka", "ჩვენს მხარეს"), ("en", "Something went wrong on our side")])
def test_a_page_that_crashes_answers_the_sites_500_without_the_database(settings, lang, title):
    settings.ROOT_URLCONF = "tests.smartmap.crash_urls"
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(f"/{lang}/crash/")
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in body and title in body
    assert 'class="topbar"' in body and f'href="/{lang}/"' in body
    for leak in ("secret detail", "RuntimeError", "Traceback", "crash_urls", "urlpatterns", "/etc/"):
        assert leak not in body


@pytest.mark.django_db
def test_the_language_switch_on_a_404_goes_to_the_same_address_in_the_other_language(client):
    body = client.get("/ka/no-such-page/?q=1").content.decode()
    next_url = re.search(r'name="next" value="([^"]+)"', body).group(1)
    assert next_url == "/en/no-such-page/?q=1"
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/no-such-page/?q=1"
    assert "This page does not exist" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_on_a_page_goes_to_its_twin(client):
    body = client.get("/en/layers/tree-permits/?status=issued").content.decode()
    assert 'name="next" value="/ka/layers/tree-permits/?status=issued"' in body
