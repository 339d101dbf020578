"""manage.py import_reports: an old hotline's record, dirty as it comes, into Fix-Tbilisi as history.

Every sample is written here, in tmp_path, the way old systems export: cp1251 with semicolons,
UTF-8 with Excel's BOM, XLSX, Open311 GeoReport v2 JSON; lat/lon or UTM 38N x/y.
"""

import csv
import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from pyproj import Transformer

from fixtracker.actions.overdue import mark_overdue
from fixtracker.models import Report, ReportUpdate
from fixtracker.tasks import notify_new_reports
from layers.models import Event, ImportRun
from layers.registry import get_layer
from stats import record
from subscriptions.models import Delivery

TBILISI = ZoneInfo("Asia/Tbilisi")
VAKE = (41.7105, 44.7560)  # lat, lon: Chavchavadze Avenue
SABURTALO = (41.7270, 44.7530)
CITY_HALL = (41.6938, 44.8015)  # where an old system put reports it could not place
HEADER = ["№", "Категория", "Статус", "Создано", "Принято", "Решено", "Закрыто", "Срок", "Широта", "Долгота", "Текст"]
STATUSES = {
    "Новая": "new",
    "В работе": "in_progress",
    "Решено": "resolved",
    "Закрыто": "closed",
    "Не в нашей компетенции": "closed",
}
CATEGORIES = {"Упавшее дерево": "fallen-tree", "Не горит фонарь": "lamp-out"}


def rows(**changes):
    """Four reports of March 2023: two fallen trees (one answered on time, one late), two lamps."""
    base = [
        ["1001", "Упавшее дерево", "Закрыто", "10.03.2023 09:00", "10.03.2023 10:00", "10.03.2023 20:00",
         "11.03.2023 09:00", "", *VAKE, "Дерево упало на тротуар"],
        ["1002", "Упавшее дерево", "Закрыто", "12.03.2023 09:00", "12.03.2023 14:00", "14.03.2023 09:00",
         "14.03.2023 10:00", "", *SABURTALO, "Ветка на дороге"],
        ["1003", "Не горит фонарь", "В работе", "15.03.2023 12:00", "16.03.2023 10:00", "", "",
         "20.03.2023 18:00", *VAKE, "Третий день темно"],
        ["1004", "не горит фонарь ", "Не в нашей компетенции", "17.03.2023 08:30", "17.03.2023 09:00", "",
         "17.03.2023 11:00", "", *SABURTALO, "Частный двор"],
    ]  # fmt: skip
    for number, values in changes.items():
        base[int(number[1:]) - 1] = values
    return base


def mapping(**changes) -> dict:
    spec = {
        "source": "hotline-1505",
        "id": "№",
        "encoding": "cp1251",
        "category": {"column": "Категория", "values": CATEGORIES},
        "status": {"column": "Статус", "values": STATUSES},
        "close_reasons": {"Не в нашей компетенции": "not_ours"},
        "dates": {"created": "Создано", "acknowledged": "Принято", "resolved": "Решено", "closed": "Закрыто"},
        "deadlines": {"resolution": "Срок"},
        "geometry": {"lat": "Широта", "lon": "Долгота"},
        "fields": {"description": "Текст"},
    }
    spec.update(changes)
    return {k: v for k, v in spec.items() if v is not None}


def write_csv(path, data, *, encoding="cp1251", header=HEADER, delimiter=";"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(data)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(tmp_path, data_path, spec, commit=True) -> str:
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    call_command("import_reports", str(data_path), "--mapping", str(mapping_path), *(["--commit"] if commit else []), stdout=out)
    return out.getvalue()


def refused(tmp_path, data_path, spec, commit=True) -> str:
    with pytest.raises(CommandError) as caught:
        run(tmp_path, data_path, spec, commit)
    return str(caught.value)


def local(text) -> datetime:
    return datetime.strptime(text, "%d.%m.%Y %H:%M").replace(tzinfo=TBILISI)


@pytest.fixture
def hotline_csv(tmp_path):
    return write_csv(tmp_path / "hotline.csv", rows())


@pytest.mark.django_db
class TestImport:
    def test_it_imports_cp1251_semicolons_with_historic_dates(self, tmp_path, hotline_csv):
        out = run(tmp_path, hotline_csv, mapping())
        assert "4 created" in out and "wrote events: none" in out
        assert "by category: fallen-tree 2, lamp-out 2" in out
        first = Report.objects.get(source="hotline-1505", external_id="1001")
        assert first.is_imported and first.is_public
        assert first.category.slug == "fallen-tree" and first.department.slug == "environment"
        assert first.confirmed_at == first.created_at == local("10.03.2023 09:00")
        assert first.acknowledged_at == local("10.03.2023 10:00")
        assert first.resolved_at == local("10.03.2023 20:00")
        assert (first.status, first.closed_at) == ("closed", local("11.03.2023 09:00"))
        assert first.status_since == local("11.03.2023 09:00")
        assert first.description == "Дерево упало на тротуар"
        assert first.reference == f"TB-{first.pk:06d}"
        assert (round(first.point.y, 4), round(first.point.x, 4)) == VAKE
        assert first.district.slug == "vake"
        # The category's deadlines, counted from when it was filed: 2 and 24 calendar hours.
        assert first.response_due_at == local("10.03.2023 11:00")
        assert first.resolution_due_at == local("11.03.2023 09:00")
        kinds = list(first.updates.order_by("created_at", "id").values_list("kind", "new_status", "created_at"))
        assert kinds == [
            ("created", "new", local("10.03.2023 09:00")),
            ("status", "acknowledged", local("10.03.2023 10:00")),
            ("status", "resolved", local("10.03.2023 20:00")),
            ("status", "closed", local("11.03.2023 09:00")),
        ]

    def test_it_keeps_the_old_deadline_status_words_and_close_reasons(self, tmp_path, hotline_csv):
        run(tmp_path, hotline_csv, mapping())
        lamp = Report.objects.get(external_id="1003")
        assert lamp.status == "in_progress"
        assert lamp.resolution_due_at == local("20.03.2023 18:00")  # the old system's own deadline
        assert lamp.response_due_at == local("16.03.2023 12:00")  # none in the file: the category's (1 working day)
        not_ours = Report.objects.get(external_id="1004")  # "не горит фонарь " maps as "Не горит фонарь"
        assert (not_ours.category.slug, not_ours.status, not_ours.close_reason) == ("lamp-out", "closed", "not_ours")

    def test_it_reads_utf8_bom_and_utm_38n(self, tmp_path):
        to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)
        header = [*HEADER[:8], "X", "Y", HEADER[10]]
        data = []
        for row in rows():
            x, y = to_utm.transform(row[9], row[8])
            data.append([*row[:8], f"{x:.2f}".replace(".", ","), f"{y:.2f}".replace(".", ","), row[10]])
        path = write_csv(tmp_path / "utm.csv", data, encoding="utf-8-sig", header=header)
        run(tmp_path, path, mapping(encoding=None, geometry={"x": "X", "y": "Y"}, crs="EPSG:32638"))
        first = Report.objects.get(external_id="1001")
        assert abs(first.point.y - VAKE[0]) < 1e-5 and abs(first.point.x - VAKE[1]) < 1e-5

    def test_it_reads_xlsx_with_real_dates(self, tmp_path):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(HEADER)
        for row in rows():
            cells = [datetime.strptime(v, "%d.%m.%Y %H:%M") if i in (3, 4, 5, 6, 7) and v else (v or None)
                     for i, v in enumerate(row)]  # fmt: skip
            sheet.append(cells)
        path = tmp_path / "hotline.xlsx"
        book.save(path)
        out = run(tmp_path, path, mapping(encoding=None))
        assert "4 created" in out
        assert Report.objects.get(external_id="1002").acknowledged_at == local("12.03.2023 14:00")

    def test_it_reads_open311_georeport_v2(self, tmp_path):
        requests = [
            {"service_request_id": "SR-1", "status": "closed", "service_code": "STL", "service_name": "Street light",
             "description": "Lamp out at the corner", "lat": VAKE[0], "long": VAKE[1], "address": "Chavchavadze 12",
             "requested_datetime": "2022-11-02T18:00:00+04:00", "updated_datetime": "2022-11-03T10:00:00+04:00",
             "expected_datetime": "2022-11-05T18:00:00+04:00"},
            {"service_request_id": "SR-2", "status": "open", "service_code": "TREE", "description": "Fallen branch",
             "lat": str(SABURTALO[0]), "long": str(SABURTALO[1]), "requested_datetime": "2022-11-04T09:00:00Z",
             "updated_datetime": "2022-11-04T09:00:00Z", "expected_datetime": None},
        ]  # fmt: skip
        path = tmp_path / "requests.json"
        path.write_text(json.dumps(requests), encoding="utf-8")
        spec = {
            "source": "georeport-2022",
            "category": {"values": {"STL": "lamp-out", "TREE": "fallen-tree"}},
            "status": {"date": "updated_datetime", "values": {"open": "new", "closed": "closed"}},
        }
        out = run(tmp_path, path, spec)
        assert "2 created" in out
        closed = Report.objects.get(source="georeport-2022", external_id="SR-1")
        assert closed.closed_at == datetime(2022, 11, 3, 10, tzinfo=TBILISI)
        assert closed.acknowledged_at == closed.closed_at  # the answer the record can date
        assert closed.resolution_due_at == datetime(2022, 11, 5, 18, tzinfo=TBILISI)
        assert (closed.address, closed.description) == ("Chavchavadze 12", "Lamp out at the corner")
        fresh = Report.objects.get(external_id="SR-2")
        assert (fresh.status, fresh.confirmed_at) == ("new", datetime(2022, 11, 4, 13, tzinfo=TBILISI))


@pytest.mark.django_db
class TestRefusals:
    def test_it_refuses_unmapped_categories_with_every_value_and_count(self, tmp_path):
        data = [*rows(), [*rows()[0][:1], "Яма на дороге", *rows()[0][2:]]]
        data[-1][0] = "1005"
        data.append(["1006", "Яма на дороге", *data[0][2:]])
        data.append(["1007", "Граффити", *data[0][2:]])
        message = refused(tmp_path, write_csv(tmp_path / "h.csv", data), mapping())
        assert "2 value(s) of column 'Категория' have no category" in message
        assert "'Яма на дороге': 2 rows" in message and "'Граффити': 1 row" in message
        assert not Report.objects.filter(source="hotline-1505").exists()
        assert ImportRun.objects.filter(layer="reports", outcome="refused").exists()

    def test_it_refuses_a_placeholder_location_with_its_row(self, tmp_path):
        data = rows(r3=["1003", "Не горит фонарь", "Новая", "15.03.2023 12:00", "", "", "", "", *CITY_HALL, "?"])
        spec = mapping(placeholders={"points": [[CITY_HALL[1], CITY_HALL[0]], [0, 0]], "tolerance_m": 30})
        message = refused(tmp_path, write_csv(tmp_path / "h.csv", data), spec)
        assert "row 4: location 41.69380, 44.80150 is a placeholder" in message
        assert "nothing was written" in message
        assert not Report.objects.filter(source="hotline-1505").exists()

    def test_it_refuses_a_point_outside_the_mappings_bbox(self, tmp_path):
        spec = mapping(placeholders={"bbox": [44.70, 41.70, 44.80, 41.72]})  # Saburtalo's points lie north of it
        message = refused(tmp_path, write_csv(tmp_path / "h.csv", rows()), spec)
        assert "row 3:" in message and "row 5:" in message and "row 2:" not in message

    def test_it_refuses_rows_without_a_location_by_number(self, tmp_path):
        data = rows(r2=[*rows()[1][:8], "", "", "Ветка"], r4=[*rows()[3][:8], "0", "", "?"])
        message = refused(tmp_path, write_csv(tmp_path / "h.csv", data), mapping())
        assert "2 of 4 rows cannot be imported" in message
        assert "row 3: no location" in message and "row 5: no location" in message
        assert "without_location: keep" in message

    def test_it_keeps_rows_without_a_usable_location_off_the_map_when_told(self, tmp_path, client):
        data = rows(
            r2=[*rows()[1][:8], "", "", "Ветка"],
            r4=[*rows()[3][:8], "0", "0", "?"],  # the old system's "no place"
        )
        spec = mapping(without_location="keep", placeholders={"points": [[0, 0]], "tolerance_m": 10})
        out = run(tmp_path, write_csv(tmp_path / "h.csv", data), spec)
        assert "4 created" in out and "2 kept off the map" in out
        off = Report.objects.filter(source="hotline-1505", point__isnull=True)
        assert sorted(off.values_list("external_id", flat=True)) == ["1002", "1004"]
        assert all(r.is_public and r.geom is None and r.district_id is None for r in off)
        layer = get_layer("reports")
        assert set(layer.public_items().filter(source="hotline-1505").values_list("external_id", flat=True)) == {
            "1001", "1003",
        }  # fmt: skip
        page = client.get(reverse("fixtracker:report", kwargs={"reference": off[0].reference}))
        assert page.status_code == 200 and b"not on the map" in page.content
        with translation.override("ka"):
            page = client.get(reverse("fixtracker:report", kwargs={"reference": off[0].reference}))
        assert "რუკაზე არ ჩანს" in page.content.decode()

    def test_staff_and_open311_show_reports_without_a_place(self, tmp_path, client, tbilservice_staff):
        data = rows(r3=[*rows()[2][:8], "", "", "Третий день темно"])
        run(tmp_path, write_csv(tmp_path / "h.csv", data), mapping(without_location="keep"))
        client.force_login(tbilservice_staff)
        queue = client.get("/en/staff/")
        lamp = Report.objects.get(external_id="1003")
        assert queue.status_code == 200 and lamp.reference in queue.content.decode()
        answer = client.get(f"/open311/v2/requests/{lamp.reference}.json")
        assert answer.status_code == 200
        assert (answer.json()[0]["lat"], answer.json()[0]["long"]) == (None, None)

    def test_it_refuses_contradictory_and_unreadable_dates(self, tmp_path):
        data = rows(
            r1=[*rows()[0][:4], "09.03.2023 10:00", *rows()[0][5:]],  # acknowledged before it was filed
            r2=[*rows()[1][:3], "", *rows()[1][4:]],
            r3=[*rows()[2][:3], "31.02.2023", *rows()[2][4:]],
        )
        message = refused(tmp_path, write_csv(tmp_path / "h.csv", data), mapping())
        assert "row 2: column 'Принято': acknowledged 09.03.2023 10:00, before the report was filed" in message
        assert "row 3: no date in column 'Создано'" in message
        assert "row 4: column 'Создано': cannot read '31.02.2023'" in message

    def test_it_refuses_a_bad_mapping_in_one_line(self, tmp_path, hotline_csv):
        message = refused(tmp_path, hotline_csv, mapping(category={"column": "Категория", "values": {"x": "no-such"}}))
        assert message.startswith("mapping: category.values name unknown categories: no-such")
        assert "unknown mapping key(s) statuses" in refused(tmp_path, hotline_csv, {**mapping(), "statuses": {}})
        assert "unknown encoding 'klingon'" in refused(tmp_path, hotline_csv, mapping(encoding="klingon"))
        assert "source 'citizen' is what our own reports" in refused(tmp_path, hotline_csv, mapping(source="citizen"))
        assert "without_location must be" in refused(tmp_path, hotline_csv, mapping(without_location="drop"))

    def test_it_says_when_the_encoding_is_wrong(self, tmp_path, hotline_csv):
        message = refused(tmp_path, hotline_csv, mapping(encoding=None))
        assert "is not UTF-8 text" in message and "encoding: cp1251" in message


@pytest.mark.django_db
class TestHistoryNotNews:
    def test_a_dry_run_writes_nothing_and_says_what_would_happen(self, tmp_path, hotline_csv):
        out = run(tmp_path, hotline_csv, mapping(), commit=False)
        assert out.splitlines()[-1].startswith("Dry run (nothing written; add --commit): 4 rows read: 4 created")
        assert "by status: closed 3, in_progress 1" in out
        assert not Report.objects.filter(source="hotline-1505").exists()
        assert not ReportUpdate.objects.filter(data__imported_from="hotline-1505").exists()

    def test_reimporting_the_same_file_changes_nothing(self, tmp_path, hotline_csv):
        run(tmp_path, hotline_csv, mapping())
        before = list(Report.objects.filter(source="hotline-1505").order_by("id").values())
        updates = ReportUpdate.objects.count()
        out = run(tmp_path, hotline_csv, mapping())
        assert "0 created" in out and "4 already imported" in out
        assert list(Report.objects.filter(source="hotline-1505").order_by("id").values()) == before
        assert ReportUpdate.objects.count() == updates

    def test_it_notifies_nobody_and_starts_no_clock(self, tmp_path, hotline_csv):
        run(tmp_path, hotline_csv, mapping())
        # Report 1003 is open and long past its deadlines: live, the sweep would stamp it and tell the head.
        assert Report.objects.public().overdue().filter(external_id="1003").exists()
        assert mark_overdue() == []
        notify_new_reports()
        lamp = Report.objects.get(external_id="1003")
        assert lamp.response_overdue_at is None and lamp.resolution_overdue_at is None
        assert mail.outbox == []
        assert not Delivery.objects.exists()
        assert not Event.objects.filter(layer="reports").exists()
        assert not lamp.updates.filter(kind=ReportUpdate.Kind.OVERDUE).exists()

    def test_the_response_record_counts_them_with_their_historic_times(self, tmp_path, hotline_csv):
        run(tmp_path, hotline_csv, mapping())
        facts = [f for f in record.load_facts(date(2023, 3, 1), date(2023, 3, 31))]
        assert len(facts) == 4
        trees = [f for f in facts if f.response_unit == "calendar_hours"]
        figures = record.figures(trees)
        # 1001 acknowledged after 1 h and resolved after 11 h (of 2 h and 24 h); 1002 after 5 h and 48 h.
        assert (figures.acknowledged_on_time.part, figures.acknowledged_on_time.whole) == (1, 2)
        assert (figures.resolved_on_time.part, figures.resolved_on_time.whole) == (1, 2)
        assert figures.to_acknowledge["calendar_hours"] == {"median": 3.0, "p90": 4.6, "n": 2}
        assert figures.to_resolve["calendar_hours"] == {"median": 29.5, "p90": 44.3, "n": 2}
        everything = record.figures(facts)
        assert (everything.not_ours.part, everything.not_ours.whole) == (1, 4)
        assert record.load_facts(date(2023, 4, 1), date(2023, 4, 30)) == []


@pytest.mark.django_db
def test_the_example_mapping_is_a_valid_one():
    from django.conf import settings

    from fixtracker.importing import ReportMapping

    example = ReportMapping.load_for(settings.BASE_DIR / "fixtracker/data/import_reports_example.yaml", "export.csv")
    assert (example.encoding, example.crs, example.keep_without_location) == ("cp1251", "EPSG:32638", True)
    city_hall = example.placeholders.points[1]  # given in UTM 38N, kept in lon/lat
    assert abs(city_hall[0] - CITY_HALL[1]) < 1e-4 and abs(city_hall[1] - CITY_HALL[0]) < 1e-4
