"""The data migration that turns the timeline's stored words into roles (fixtracker 0006).

Rows written before it held "The reporter" or a department's name in the actor's language; known
labels in either language become roles, department names become the department, unknown text
stays as written, and a transfer's department names become ids.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Department
from fixtracker.models import ReportUpdate

BEFORE = [("fixtracker", "0005_report_update_district_kind")]
AFTER = [("fixtracker", "0006_timeline_stores_who_acted_not_words")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_rows(submit):
    report = submit()
    tbilservice, environment = Department.objects.get(slug="tbilservice"), Department.objects.get(slug="environment")
    kinds = ["status", "status", "status", "support", "overdue", "status", "transfer", "created"]
    ids = [ReportUpdate.objects.create(report=report, kind=kind).pk for kind in kinds]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events before ALTER TABLE
    apps = migrate(BEFORE)
    Old = apps.get_model("fixtracker", "ReportUpdate")
    labels = [
        "The reporter",
        "განმცხადებელი",
        tbilservice.name_en,
        "A resident",
        "ვადის ათვლა",
        "Someone we never knew",
        tbilservice.name_ka,
        "",
    ]
    for pk, label in zip(ids, labels, strict=True):
        Old.objects.filter(pk=pk).update(actor_label=label)
    transfer = {"from": tbilservice.name_ka, "to": environment.name_en}
    Old.objects.filter(pk=ids[6]).update(data=transfer)
    yield ids, tbilservice, environment
    migrate(AFTER)


def test_known_labels_become_roles_and_unknown_text_stays(old_rows):
    ids, tbilservice, environment = old_rows
    migrate(AFTER)
    rows = {u.pk: u for u in ReportUpdate.objects.filter(pk__in=ids)}
    got = [(rows[pk].actor_role, rows[pk].actor_department_id, rows[pk].legacy_label) for pk in ids]
    assert got == [
        ("reporter", None, ""),
        ("reporter", None, ""),
        ("department", tbilservice.pk, ""),
        ("resident", None, ""),
        ("clock", None, ""),
        ("", None, "Someone we never knew"),
        ("department", tbilservice.pk, ""),
        ("", None, ""),
    ]
    assert rows[ids[6]].data == {"from": tbilservice.pk, "to": environment.pk}
    assert rows[ids[5]].by == "Someone we never knew"


def test_it_reverses_to_georgian_labels(old_rows):
    ids, tbilservice, _environment = old_rows
    migrate(AFTER)
    apps = migrate(BEFORE)
    Old = apps.get_model("fixtracker", "ReportUpdate")
    labels = list(Old.objects.filter(pk__in=ids).order_by("pk").values_list("actor_label", flat=True))
    assert labels[:3] == ["განმცხადებელი", "განმცხადებელი", tbilservice.name_ka]
    assert labels[5] == "Someone we never knew"
