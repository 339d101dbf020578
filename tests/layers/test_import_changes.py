"""A different status is a change, always: a changed word, an earlier date, an undated change."""

from datetime import date

from django.utils import timezone

from layers.models import Event
from tests.layers.registers import WORDS_KA, history, permit, run, snapshot, write_csv

HEADER = ["განცხადების №", "მისამართი", "სტატუსი", "სტატუსის თარიღი", "განედი", "გრძედი"]
MAPPING = {
    "layer": "construction-permits",
    "source": "tbilisi-urban-development",
    "id": "განცხადების №",
    "geometry": {"lat": "განედი", "lon": "გრძედი"},
    "status": {"column": "სტატუსი", "date": "სტატუსის თარიღი", "values": WORDS_KA},
    "fields": {"address": "მისამართი"},
}
ISSUED, STARTED, COMPLETED = "ნებართვა გაცემულია", "მშენებლობა დაწყებულია", "ექსპლუატაციაში მიღებულია"


def _rows(word, when, n=50):
    # Fifty permits along Chavchavadze Avenue, Vake.
    return [[f"C-{i}", f"ჭავჭავაძის გამზ. {i}", word, when, 41.7105, round(44.7500 + i * 0.0002, 6)] for i in range(n)]


def _import(tmp_path, rows, name):
    return run(MAPPING, write_csv(tmp_path, HEADER, rows, name))


def test_a_changed_status_word_with_the_same_date_is_a_change_for_every_row(db, tmp_path):
    _import(tmp_path, _rows(ISSUED, "01.03.2024"), "first.csv")
    report = _import(tmp_path, _rows(STARTED, "01.03.2024"), "second.csv")
    assert (report.run.updated, report.run.unchanged, report.run.events) == (50, 0, {"status_changed": 50})
    assert history(permit("C-7")) == [
        ("created", "", "issued", "2024-03-01", "source"),
        ("status_changed", "issued", "construction_started", "2024-03-01", "source"),
    ]
    assert permit("C-7").status == "construction_started"


def test_a_change_dated_before_the_stored_stage_is_recorded_in_its_place(db, tmp_path):
    # The first import saw an undated "issued"; the register now says completed on 1 June 2024,
    # earlier than that import ran. All fifty are changes, none is dropped.
    _import(tmp_path, _rows(ISSUED, ""), "first.csv")
    report = _import(tmp_path, _rows(COMPLETED, "01.06.2024"), "second.csv")
    assert (report.run.updated, report.run.unchanged, report.run.events) == (50, 0, {"status_changed": 50})
    assert history(permit("C-3")) == [
        ("created", "", "issued", None, "unknown"),
        ("status_changed", "issued", "completed", "2024-06-01", "source"),
    ]
    item = permit("C-3")
    assert (item.status, item.status_date_known, timezone.localtime(item.status_since).date()) == (
        "completed",
        True,
        date(2024, 6, 1),
    )


def test_an_undated_change_is_seen_on_the_day_of_the_import_and_an_earlier_one_goes_before_it(db, tmp_path):
    _import(tmp_path, _rows(ISSUED, "01.03.2024", n=1), "first.csv")
    _import(tmp_path, _rows(STARTED, "", n=1), "second.csv")
    report = _import(tmp_path, _rows(COMPLETED, "01.06.2024", n=1), "third.csv")
    assert report.run.updated == 1
    today = timezone.localdate().isoformat()
    assert history(permit("C-0")) == [
        ("created", "", "issued", "2024-03-01", "source"),
        ("status_changed", "issued", "completed", "2024-06-01", "source"),
        ("status_changed", "issued", "construction_started", today, "seen"),
    ]
    assert permit("C-0").status == "completed"  # what the register says now


def test_re_importing_after_changes_changes_nothing(db, tmp_path):
    _import(tmp_path, _rows(ISSUED, ""), "first.csv")
    second = _rows(COMPLETED, "01.06.2024")
    _import(tmp_path, second, "second.csv")
    before = snapshot()
    report = _import(tmp_path, second, "again.csv")
    assert (report.run.updated, report.run.unchanged, report.run.events) == (0, 50, {})
    assert snapshot() == before


def test_a_register_word_with_no_fitting_status_is_refused_not_forced(db, tmp_path):
    rows = _rows(ISSUED, "01.03.2024", n=3)
    rows[1][2] = "შეჩერებულია სასამართლოს მიერ"  # "suspended by a court": not in this mapping
    report = _import(tmp_path, rows, "first.csv")
    assert [(r.row, r.reason) for r in report.rejections] == [(3, "unknown status word 'შეჩერებულია სასამართლოს მიერ'")]
    assert report.run.refused_by_reason == {"unknown status word": 1}
    assert not Event.objects.filter(new_status="suspended").exists()


def test_a_mapping_can_keep_the_registers_own_word_for_display(db, tmp_path, client):
    data = {**MAPPING, "status": {**MAPPING["status"], "keep_label": True}}
    rows = _rows("გაუქმებულია", "01.03.2024", n=1)
    run(data, write_csv(tmp_path, HEADER, rows))
    item = permit("C-0")
    assert (item.status, item.source_status) == ("cancelled", "გაუქმებულია")
    page = client.get(f"/en/layers/construction-permits/{item.pk}/").content.decode()
    assert "permit cancelled" in page and "in the register:" in page and "გაუქმებულია" in page
