"""What is news: undated and historic rows notify nobody; a real change does. Checked through the ledger.

A resident subscribed to all of Tbilisi and one following an item: whatever a register says of the
past, or without a date, never reaches them; a status that changed since the last import does.
"""

from datetime import timedelta

from django.utils import timezone

from layers.models import Event
from subscriptions.models import Delivery
from tests.layers.registers import GEORGIAN, KA_DATE, header, mapping, permit, row, run, write_csv
from tests.subscriptions.conftest import make_subscription

RECENT = (timezone.localdate() - timedelta(days=3)).strftime(KA_DATE)
ROWS = [
    row("N-1", "vake", "ნებართვა გაცემულია", "04.03.2019", "02.05.2019"),  # history: years old
    row("N-2", "saburtalo", "ნებართვა გაცემულია"),  # no date at all
    row("N-3", "isani", "ნებართვა გაცემულია", "10.01.2024"),  # issued on an unknown date
    row("N-4", "didube", "განცხადება შემოსულია", RECENT),  # filed three days ago: news
]


def _ledger(subscription) -> list[tuple]:
    deliveries = Delivery.objects.filter(subscription=subscription).select_related("event")
    return sorted((d.event.item_ref, d.event.kind, d.event.new_status) for d in deliveries)


def _import(tmp_path, rows, name="register.csv"):
    return run(mapping(), write_csv(tmp_path, header(GEORGIAN), rows, name))


def test_undated_and_historic_rows_notify_nobody_and_recent_ones_do(db, tmp_path):
    city = make_subscription("city", groups=("new", "status"))
    _import(tmp_path, ROWS)
    assert Event.objects.count() == 6
    assert _ledger(city) == [("N-4", "created", "application_filed")]


def test_an_undated_status_is_stored_as_date_unknown(db, tmp_path):
    _import(tmp_path, ROWS)
    undated = Event.objects.get(item_id=permit("N-2").pk)
    assert (undated.occurred_at, undated.date_basis) == (None, "unknown")
    # It counts in no period: a statistic of changes in any range of dates leaves it out.
    year = timezone.now() - timedelta(days=365 * 30)
    assert not Event.objects.filter(item_id=permit("N-2").pk, occurred_at__gte=year).exists()


def test_a_followed_item_hears_of_a_real_change_but_not_of_its_undated_past(db, tmp_path):
    _import(tmp_path, ROWS)
    follower = make_subscription("item", item_layer="construction-permits", item_id=permit("N-2").pk)
    city = make_subscription("city", groups=("new", "status"), email="giorgi@example.ge")
    later = [r[:] for r in ROWS]
    later[1][2] = "მშენებლობა დაწყებულია"  # construction started, the register gives no date
    report = _import(tmp_path, later, "later.csv")
    assert (report.run.updated, report.run.unchanged) == (1, 3)
    change = Event.objects.filter(item_id=permit("N-2").pk).latest("id")
    assert (change.kind, change.old_status, change.new_status, change.date_basis) == (
        "status_changed",
        "issued",
        "construction_started",
        "seen",
    )
    assert _ledger(follower) == [("N-2", "status_changed", "construction_started")]
    assert _ledger(city) == [("N-2", "status_changed", "construction_started")]


def test_a_dry_run_notifies_nobody(db, tmp_path):
    city = make_subscription("city", groups=("new", "status"))
    report = run(mapping(), write_csv(tmp_path, header(GEORGIAN), ROWS), commit=False)
    assert report.run.events == {"created": 4, "status_changed": 2}
    assert _ledger(city) == [] and Event.objects.count() == 0


def test_the_api_and_the_item_page_say_the_date_is_unknown(client, db, tmp_path):
    _import(tmp_path, ROWS)
    item = permit("N-3")
    props = client.get(f"/api/v1/layers/construction-permits/features/{item.pk}/").json()["properties"]
    assert (props["status_since"], props["status_date"]) == (None, "unknown")
    assert [(e["new_status"], e["occurred_at"] is None, e["date_basis"]) for e in props["timeline"]] == [
        ("application_filed", False, "source"),
        ("issued", True, "unknown"),
    ]
    assert "თარიღი უცნობია" in client.get(f"/ka/layers/construction-permits/{item.pk}/").content.decode()
    assert "date unknown" in client.get(f"/en/layers/construction-permits/{item.pk}/").content.decode()
