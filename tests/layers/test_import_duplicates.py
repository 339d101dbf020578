"""A repeated id in one file is refused with both row numbers, unless the mapping says the last wins."""

from layers.models import ConstructionPermit, Event
from tests.layers.registers import GEORGIAN, header, mapping, permit, row, run, snapshot, write_csv

ROWS = [
    row("D-1", "vake", "ნებართვა გაცემულია", "04.03.2019", "02.05.2019", address="ჭავჭავაძის გამზ. 64"),
    row("D-2", "isani", "ნებართვა გაცემულია", "10.01.2021", "05.05.2021"),
    # Another permit's data under D-1's id: it must not move D-1 across town.
    row("D-1", "gldani", "ნებართვა გაცემულია", "01.03.2023", "01.04.2023", address="გლდანი, მე-7 მ/რ"),
]


def test_a_repeated_id_is_refused_with_both_row_numbers(db, tmp_path):
    report = run(mapping(), write_csv(tmp_path, header(GEORGIAN), ROWS))
    assert [(r.row, r.reason) for r in report.rejections] == [
        (2, "id 'D-1' appears also in row 4; add 'duplicates: last' if the later wins"),
        (4, "id 'D-1' appears also in row 2; add 'duplicates: last' if the later wins"),
    ]
    assert (report.run.created, report.run.rejected, report.run.refused_by_reason) == (1, 2, {"duplicate id": 2})
    assert list(ConstructionPermit.objects.values_list("external_id", flat=True)) == ["D-2"]


def test_with_duplicates_last_the_later_row_wins_and_the_earlier_is_counted(db, tmp_path):
    report = run(mapping(duplicates="last"), write_csv(tmp_path, header(GEORGIAN), ROWS))
    assert (report.run.created, report.run.rejected, report.run.duplicates) == (2, 0, 1)
    assert [(r.row, r.reason, r.skipped) for r in report.rejections] == [
        (2, "skipped: id 'D-1' appears again in row 4, which is used", True)
    ]
    item = permit("D-1")
    assert (item.address, item.district.name_en) == ("გლდანი, მე-7 მ/რ", "Gldani")
    assert Event.objects.filter(item_id=item.pk).count() == 2
    assert "1 duplicate rows skipped" in report.summary()


def test_re_importing_with_duplicates_changes_nothing(db, tmp_path):
    path = write_csv(tmp_path, header(GEORGIAN), ROWS)
    run(mapping(duplicates="last"), path)
    before = snapshot()
    report = run(mapping(duplicates="last"), path)
    assert (report.run.unchanged, report.run.duplicates) == (2, 1)
    assert snapshot() == before
