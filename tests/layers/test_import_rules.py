"""Import rules: dry runs, idempotence, status changes as events, snapshots, refusals."""

import csv
import io

import pytest

from layers.importing import ImportRefused, Mapping, MappingError, run_import
from layers.models import ConstructionPermit, Event, ImportRun
from tests.layers.conftest import SAMPLES


def _rows():
    with open(SAMPLES / "construction_permits.csv", encoding="utf-8-sig") as f:
        return list(csv.reader(f, delimiter=";"))


def _write(tmp_path, rows, name="register.csv"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def _import(path, commit=True, **overrides):
    mapping = Mapping.load(SAMPLES / "construction_permits.yaml")
    for key, value in overrides.items():
        setattr(mapping, key, value)
    return run_import(mapping, path, commit=commit)


def test_it_writes_nothing_in_a_dry_run_but_reports_what_a_commit_would_do(import_sample):
    report = import_sample("construction_permits.csv", "construction_permits.yaml", commit=False)
    assert report.run.created == 4
    assert ConstructionPermit.objects.count() == 0
    assert Event.objects.count() == 0


def test_it_changes_nothing_when_the_same_file_comes_again(import_sample):
    import_sample("construction_permits.csv", "construction_permits.yaml")
    events = Event.objects.count()
    report = import_sample("construction_permits.csv", "construction_permits.yaml")
    assert (report.run.created, report.run.updated, report.run.unchanged) == (0, 0, 4)
    assert Event.objects.count() == events


def test_it_turns_a_changed_status_into_a_new_timeline_entry(db, tmp_path):
    rows = _rows()
    _import(_write(tmp_path, rows))
    header = rows[0]
    status, date = header.index("სტატუსი"), header.index("სტატუსის თარიღი")
    later = [r[:] for r in rows if r[0] == "A-2025-0001"][0]
    later[status], later[date] = "ნებართვა გაცემულია", "01.03.2025"
    report = _import(_write(tmp_path, [*rows, later], "later.csv"))
    assert report.run.updated == 1
    permit = ConstructionPermit.objects.get(external_id="A-2025-0001")
    assert permit.status == "issued"
    change = Event.objects.filter(item_id=permit.pk, layer="construction-permits").latest("id")
    assert (change.kind, change.old_status, change.new_status) == ("status_changed", "refused", "issued")
    assert change.occurred_at.date().isoformat() == "2025-03-01"
    # The earlier entry is still there: nothing in a timeline is overwritten.
    assert Event.objects.filter(item_id=permit.pk, new_status="refused").exists()


def test_it_records_changed_details_as_one_update_event(db, tmp_path):
    rows = _rows()
    _import(_write(tmp_path, rows))
    floors = rows[0].index("სართულიანობა")
    changed = [r[:] for r in rows]
    for r in changed[1:]:
        if r[0] == "A-2024-0500":
            r[floors] = "6"
    report = _import(_write(tmp_path, changed, "changed.csv"))
    assert report.run.updated == 1
    permit = ConstructionPermit.objects.get(external_id="A-2024-0500")
    assert permit.floors == 6
    event = Event.objects.filter(item_id=permit.pk, layer="construction-permits").latest("id")
    assert (event.kind, event.data) == ("updated", {"changed": ["floors"]})


def test_it_withdraws_what_a_snapshot_no_longer_lists_and_never_deletes(db, tmp_path):
    rows = _rows()
    many = [rows[0]] + [r[:1] + r[1:] for r in rows[1:]]
    # Eleven more good permits, so that one vanishing is under the 10% limit.
    template = [r for r in rows if r[0] == "A-2024-0500"][0]
    for n in range(11):
        extra = template[:]
        extra[0] = f"B-{n}"
        many.append(extra)
    _import(_write(tmp_path, many))
    without = [r for r in many if r[0] != "B-3"]
    report = _import(_write(tmp_path, without, "snapshot.csv"))
    assert report.run.withdrawn == 1
    gone = ConstructionPermit.objects.get(external_id="B-3")
    assert gone.withdrawn_at is not None
    assert Event.objects.filter(item_id=gone.pk, kind="withdrawn").count() == 1
    assert ConstructionPermit.objects.public().filter(external_id="B-3").count() == 0


def test_it_refuses_a_snapshot_that_would_withdraw_more_than_ten_percent(db, tmp_path):
    rows = _rows()
    _import(_write(tmp_path, rows))
    truncated = [r for r in rows if r[0] not in ("A-2025-0001",)]
    before = list(ConstructionPermit.objects.values_list("id", "status", "withdrawn_at"))
    with pytest.raises(ImportRefused) as error:
        _import(_write(tmp_path, truncated, "truncated.csv"))
    assert "1 of 4 items (25%) are missing" in str(error.value)
    assert list(ConstructionPermit.objects.values_list("id", "status", "withdrawn_at")) == before
    assert ImportRun.objects.latest("started_at").outcome == "refused"


def test_it_does_not_withdraw_an_item_whose_row_was_only_rejected(db, tmp_path):
    rows = _rows()
    _import(_write(tmp_path, rows))
    status = rows[0].index("სტატუსი")
    broken = [r[:] for r in rows]
    for r in broken[1:]:
        if r[0] == "A-2025-0001":
            r[status] = "ვინ იცის"
    report = _import(_write(tmp_path, broken, "broken.csv"))
    assert report.run.withdrawn == 0
    assert ConstructionPermit.objects.get(external_id="A-2025-0001").withdrawn_at is None


def test_it_refuses_a_file_missing_mapped_columns(db, tmp_path):
    rows = _rows()
    status = rows[0].index("სტატუსი")
    without_status = [r[:status] + r[status + 1 :] for r in rows]
    with pytest.raises(ImportRefused) as error:
        _import(_write(tmp_path, without_status))
    assert "the file has no column(s) სტატუსი" in str(error.value)
    assert ConstructionPermit.objects.count() == 0


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "is empty"),
        (b"\xff\xfe\x00garbage\x00", "not UTF-8"),
    ],
)
def test_it_refuses_unreadable_files(db, tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused) as error:
        _import(path)
    assert reason in str(error.value)


def test_it_refuses_a_broken_spreadsheet_and_a_broken_geopackage(db, tmp_path):
    for name in ("bad.xlsx", "bad.gpkg"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 this is not really a spreadsheet")
        with pytest.raises(ImportRefused):
            _import(path)


@pytest.mark.parametrize(
    "data, reason",
    [
        ({}, "needs 'layer'"),
        ({"layer": "parking", "source": "s", "id": "i", "fields": {"title": "t"}}, "unknown layer 'parking'"),
        (
            {"layer": "construction-permits", "source": "s", "id": "i", "fields": {"colour": "c"}},
            "has no field(s) colour",
        ),
        (
            {
                "layer": "construction-permits",
                "source": "s",
                "id": "i",
                "fields": {"title": "t"},
                "status": {"column": "s", "values": {"x": "demolished"}},
            },
            "unknown statuses",
        ),
    ],
)
def test_it_refuses_a_bad_mapping_with_a_reason(data, reason):
    with pytest.raises(MappingError) as error:
        Mapping.from_dict(data)
    assert reason in str(error.value)


def test_the_command_lists_rejected_rows_and_the_summary(call):
    output = call(
        "import_layer",
        "construction-permits",
        str(SAMPLES / "construction_permits.csv"),
        "--mapping",
        str(SAMPLES / "construction_permits.yaml"),
    )
    assert "row 9: unknown status word 'დაკარგულია'" in output
    assert (
        "Dry run (nothing written; add --commit): 11 rows read: 4 created, 0 updated, 0 unchanged, 0 withdrawn, "
        "5 refused (1 outside Tbilisi, 1 unknown status word, 1 unreadable date, 1 no location, 1 unreadable number); "
        "would write events: 4 created, 2 status changed." in output
    )


def test_the_command_stops_with_one_line_when_refused(call, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call(
            "import_layer",
            "construction-permits",
            str(tmp_path / "none.csv"),
            "--mapping",
            str(SAMPLES / "construction_permits.yaml"),
            commit=True,
        )
    assert str(error.value).startswith("refused, nothing written: no such file")


def test_it_reads_species_and_trunk_diameters_of_trees():
    from layers.importing.convert import _json_value

    assert _json_value("trees", "Platanus orientalis 45; Pinus nigra 30,5 სმ; ცაცხვი") == [
        {"species": "Platanus orientalis", "diameter_cm": 45.0},
        {"species": "Pinus nigra", "diameter_cm": 30.5},
        {"species": "ცაცხვი"},
    ]
