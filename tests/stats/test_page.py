"""The statistics page without JavaScript: the form, the table with totals, downloads, 400s in Georgian."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from places.models import District
from tests.stats.test_api_questions import TBILISI, felled

pytestmark = pytest.mark.django_db
QUESTION = {
    "layer": "tree-permits",
    "territory": "district:vake",
    "compare": "territory",
    "territory_b": "district:saburtalo",
    "group": "year",
}


@pytest.fixture
def permits():
    vake, saburtalo = District.objects.get(slug="vake"), District.objects.get(slug="saburtalo")
    for year in (2024, 2025, 2025):
        felled(vake, datetime(year, 4, 1, tzinfo=TBILISI))
    felled(saburtalo, datetime(2025, 4, 1, tzinfo=TBILISI))


def test_the_table_and_its_totals_are_in_the_html(client, permits):
    html = " ".join(client.get("/en/statistics/", QUESTION).content.decode().split()).replace("> <", "><")
    assert '<th scope="row">2025</th>' in html and '<td class="num">2</td><td class="num">1</td>' in html
    assert '<td class="num">3</td><td class="num">1</td><td class="num">+2</td><td class="num">+200.0%</td>' in html
    assert "table.csv?" in html and "table.xlsx?" in html


def test_the_page_is_georgian_by_default(client):
    html = client.get("/ka/statistics/").content.decode()
    assert "სტატისტიკა" in html


def test_csv_and_xlsx_hold_the_same_table(client, permits):
    text = client.get("/en/statistics/table.csv", QUESTION).content.decode("utf-8-sig")
    assert text.splitlines()[-1] == ",total,3,1,2,200.0"
    sheet = load_workbook(io.BytesIO(client.get("/en/statistics/table.xlsx", QUESTION).content)).active
    assert list(sheet.iter_rows(values_only=True))[-1] == (None, "total", 3, 1, 2, 200)


def test_a_bad_question_is_a_400_with_the_reason_in_georgian(client):
    response = client.get("/ka/statistics/", {"layer": "tree-permits", "from": "yesterday"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode() and "თარიღი" in response.content.decode()
    assert client.get("/ka/statistics/table.csv", {"layer": "nope"}).status_code == 400


def test_a_column_header_keeps_each_day_on_one_line(client, permits):
    """Regression: at 360 px the period headers broke inside their dates ("2025-01-" / "01")."""
    question = {**QUESTION, "from": "2025-01-01", "to": "2025-12-31", "territory_b": "district:saburtalo"}
    html = client.get("/en/statistics/", question).content.decode()
    assert '<span class="nowrap">2025-01-01</span> – <span class="nowrap">2025-12-31</span>' in html
    assert client.get("/en/statistics/table.csv", question).content.decode("utf-8-sig").count("nowrap") == 0
