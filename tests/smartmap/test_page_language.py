"""Everything a /ka/ page loads speaks Georgian, whatever the language cookie says (and back)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _layer_names(client, **extra):
    response = client.get("/api/v1/layers/", **extra)
    assert response.status_code == 200
    return {layer["slug"]: layer["name"] for layer in response.json()}, response


def test_it_answers_the_api_in_the_asking_pages_language_over_the_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    names, response = _layer_names(client, HTTP_REFERER="http://testserver/ka/")
    assert names["tree-permits"] == "ხეების მოჭრა და გადარგვა"
    assert response["Content-Language"] == "ka"
    assert "Referer" in response["Vary"]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ka"
    names, _ = _layer_names(client, HTTP_REFERER="http://testserver/en/subscribe/")
    assert names["tree-permits"] == "Tree felling and transplanting"


def test_an_explicit_lang_parameter_wins(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    names, response = _layer_names(client, QUERY_STRING="lang=ka", HTTP_REFERER="http://testserver/en/")
    assert names["tree-permits"] == "ხეების მოჭრა და გადარგვა"
    assert "Referer" not in response.get("Vary", "")


def test_it_ignores_other_sites_and_unknown_languages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    names, _ = _layer_names(client, QUERY_STRING="lang=fr", HTTP_REFERER="http://evil.example/ka/")
    assert names["tree-permits"] == "Tree felling and transplanting"


def test_it_leaves_prefixed_pages_to_their_address(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/ka/", HTTP_REFERER="http://testserver/en/")
    assert '<html lang="ka">' in response.content.decode()
