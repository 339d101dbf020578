"""NaN, infinite and absurd numbers are row refusals; any unexpected error leaves a failed run and nothing else."""

import pytest

from layers.importing import ImportFailed
from layers.importing.apply import Applier
from layers.models import ConstructionPermit, Event, ImportRun
from subscriptions.models import Delivery
from tests.layers.registers import GEORGIAN, header, mapping, row, run, write_csv

GOOD = row("F-1", "vake", "ნებართვა გაცემულია", "04.03.2019", "02.05.2019")


def _with_floors(rows, floors):
    return [[*r, f] for r, f in zip(rows, floors, strict=True)]


@pytest.mark.parametrize("lat, lon", [("nan", "44.7560"), ("41.7105", "inf"), ("-inf", "NaN")])
def test_a_non_finite_coordinate_is_a_row_refusal_not_a_crash(db, tmp_path, lat, lon):
    bad = row("F-2", (lon, lat), "ნებართვა გაცემულია", "04.03.2019")
    report = run(mapping(), write_csv(tmp_path, header(GEORGIAN), [GOOD, bad]))
    assert (report.run.created, report.run.rejected, report.run.refused_by_reason) == (
        1,
        1,
        {"unreadable location": 1},
    )
    assert "is not a finite coordinate" in report.rejections[0].reason


def test_non_finite_and_absurd_numbers_are_refused_by_row(db, tmp_path):
    head = [*header(GEORGIAN), "სართულიანობა"]
    others = [row(f"F-{n}", "isani", "ნებართვა გაცემულია") for n in (2, 3, 4)]
    rows = _with_floors([GOOD, *others], ["9", "inf", "NaN", "1000000000"])
    data = mapping()
    data["fields"]["floors"] = "სართულიანობა"
    report = run(data, write_csv(tmp_path, head, rows))
    assert [(r.row, r.reason) for r in report.rejections] == [
        (3, "column 'სართულიანობა': cannot read 'inf' as a number"),
        (4, "column 'სართულიანობა': cannot read 'NaN' as a number"),
        (5, "column 'სართულიანობა': cannot read '1000000000' as a number"),
    ]
    assert report.run.refused_by_reason == {"unreadable number": 3}
    assert list(ConstructionPermit.objects.values_list("external_id", "floors")) == [("F-1", 9)]


class _Crashing(Applier):
    """An applier that breaks after writing items and events: a bug or a lost connection, say."""

    def _save(self, creates, updates):
        super()._save(creates, updates)
        raise RuntimeError("connection to the disk lost")


def test_an_unexpected_error_keeps_a_failed_run_and_writes_nothing_else(db, tmp_path):
    from tests.subscriptions.conftest import make_subscription

    make_subscription("city", groups=("new", "status"))
    with pytest.raises(ImportFailed) as error:
        run(mapping(), write_csv(tmp_path, header(GEORGIAN), [GOOD]), applier=_Crashing)
    assert str(error.value).startswith(
        "unexpected error: RuntimeError: connection to the disk lost (kept as import run #"
    )
    assert (ConstructionPermit.objects.count(), Event.objects.count(), Delivery.objects.count()) == (0, 0, 0)
    failed = ImportRun.objects.get()
    assert (failed.outcome, failed.message) == ("failed", "unexpected error: RuntimeError: connection to the disk lost")
