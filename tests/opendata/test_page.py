"""The open data page (ღია მონაცემები): datasets, formats, dictionaries, licence, dumps and a filter form
that works without JavaScript; fully in Georgian on /ka/; linked from the statistics page and the menu."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings

from opendata import actions
from opendata.dictionary import datasets


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_lists_every_dataset_with_formats_dictionary_licence_and_dumps(client, city, media):
    actions.do_write_dumps(now=datetime(2026, 12, 1, 23, 15, tzinfo=UTC))
    html = client.get("/en/opendata/").content.decode()
    for slug in datasets():
        assert f'id="{slug}"' in html and f"/api/v1/opendata/{slug}.gpkg" in html
        assert f"/api/v1/opendata/{slug}/dictionary/" in html
    assert "time_to_acknowledge" in html and "in the response deadline&#x27;s unit" in html
    assert f'rel="license" href="{settings.OPEN_DATA_LICENCE_URL}"' in html and "CC BY 4.0" in html
    assert "/media/opendata/2026-12-01T231500Z/reports.csv" in html and "/api/v1/opendata/catalogue.jsonld" in html


def test_the_georgian_page_is_fully_translated(client, db):
    html = client.get("/ka/opendata/").content.decode()
    assert "<h1>ღია მონაცემები</h1>" in html
    po = (settings.BASE_DIR / "locale/ka/LC_MESSAGES/django.po").read_text()
    english = []
    for block in po.split("\n\n"):
        if "opendata/templates/opendata/page.html" not in block:
            continue
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block.split("msgstr")[0].split("msgid", 1)[1]))
        text = re.sub(r"<[^>]+>|%\(\w+\)s", "|", msgid.replace('\\"', '"'))
        english += [part.strip() for part in text.split("|") if len(part.strip()) > 12]
    assert english, "the template's strings were not found in the catalogue"
    for phrase in english:
        assert phrase.replace("'", "&#x27;") not in html and phrase not in html, phrase
    assert "No dump has been written yet" not in html and "ასლი ჯერ არ ჩაწერილა" in html


def test_the_form_sends_the_browser_to_the_export(client, db):
    response = client.get(
        "/en/opendata/download/", {"dataset": "tree-permits", "format": "csv", "territory": "district:vake", "to": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/opendata/tree-permits.csv?territory=district%3Avake&lang=en"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("language,expected", [("ka", "აირჩიეთ CSV"), ("en", "choose CSV")])
def test_a_bad_form_is_a_400_page_that_says_why(client, db, language, expected):
    response = client.get(f"/{language}/opendata/download/", {"dataset": "tree-permits", "format": "xls", "from": "x"})
    html = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in html and expected in html
    assert 'data-field="from"' in html


def test_the_statistics_page_and_the_menu_link_to_it(client, db):
    assert 'href="/en/opendata/"' in client.get("/en/statistics/").content.decode()
    assert 'href="/ka/opendata/"' in client.get("/ka/").content.decode()
