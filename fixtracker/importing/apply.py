"""Store imported reports: new ones whole, with their timeline; ones already imported left as they are.

A report is found again by its source key (the mapping's source + the old id; unique in the
database), so importing a file twice writes nothing the second time. What is stored is history,
and nothing in it may act as news:

- the report is confirmed (public) on the day it was filed, with its historic dates and the old
  system's deadlines, or the category's counted from that day (fixtracker.deadlines.due_dates);
- it is marked imported_at, claimed as already told to its department's staff (staff_notified_at),
  and the overdue sweep passes imported reports by: no clock of theirs runs, no head is told;
- no event goes on the spine, so no subscriber, feed or email hears of it; its timeline entries
  carry their historic times; nobody follows it (it has no reporter here);
- the map's cached tiles are expired after the commit, since no event does it.
"""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from fixtracker.actions.timeline import calendar
from fixtracker.deadlines import due_dates
from fixtracker.models import Category, CategoryRoute, Report, ReportUpdate
from layers.importing import ImportRefused
from layers.importing.apply import _geos
from layers.tiles import bump_versions

S = Report.Status
BATCH = 1000


class ReportApplier:
    """The core's applier interface (layers.importing.core.import_rows), for reports."""

    def __init__(self, layer, mapping, index, run, tally=None):
        self.mapping, self.index, self.run = mapping, index, run
        self.now = timezone.now()
        self.kinds: Counter = Counter()  # events by kind: none, ever
        self.tally = tally if tally is not None else Tally()

    def apply(self, records, seen_ids):
        if Report.objects.filter(source=self.mapping.source, imported_at__isnull=True).exists():
            raise ImportRefused(f"reports filed here already use source '{self.mapping.source}'; name the old system")
        ids = [r.external_id for r in records]
        known = set(
            Report.objects.filter(source=self.mapping.source, external_id__in=ids).values_list("external_id", flat=True)
        )
        new = [r for r in records if r.external_id not in known]
        self.run.unchanged = len(records) - len(new)
        districts = self.index.district_ids([r.point for r in new if r.point is not None])
        placed = iter(districts)
        categories = {c.slug: c for c in Category.objects.select_related("department")}
        # Where a district's reports of a category go instead (Category.department_for, in bulk).
        self.routes = {
            (r.category_id, r.district_id): r.department for r in CategoryRoute.objects.select_related("department")
        }
        cal = calendar()
        reports = [
            self._report(r, categories[r.values["category"]], None if r.point is None else next(placed), cal)
            for r in new
        ]
        for start in range(0, len(reports), BATCH):
            self._save(reports[start : start + BATCH], new[start : start + BATCH])
        self.run.created = len(reports)
        if reports:
            # No event announces an imported report, so nothing else expires the cached tiles.
            transaction.on_commit(lambda: bump_versions([Report.LAYER]))

    def _report(self, record, category: Category, district_id, cal) -> Report:
        v = record.values
        current = record.stages[-1]
        created = v["created_at"]
        response_due, resolution_due = due_dates(category, created, cal)
        response_due = v["deadlines"].get("response") or response_due
        resolution_due = v["deadlines"].get("resolution") or resolution_due
        since = max(d for d in (created, v["acknowledged_at"], v["resolved_at"], v["closed_at"], current.at) if d)
        report = Report(
            reference=f"import-{record.external_id}"[:100],
            title=v.get("title") or category.name_ka,
            description=v.get("description") or "",
            address=(v.get("address") or "")[:300],
            status=current.status,
            status_since=since if current.status != S.NEW else created,
            geom=None if record.geom.is_empty else _geos(record.geom),
            point=None if record.point is None else _geos(record.point),
            district_id=district_id,
            source=self.mapping.source,
            external_id=record.external_id,
            category=category,
            department=self.routes.get((category.pk, district_id), category.department),
            confirmed_at=created,
            response_due_at=response_due,
            resolution_due_at=resolution_due,
            acknowledged_at=v["acknowledged_at"],
            resolved_at=v["resolved_at"],
            closed_at=v["closed_at"] if current.status == S.CLOSED else None,
            close_reason=v["close_reason"] if current.status == S.CLOSED else "",
            staff_notified_at=self.now,  # history: never "a new report in your queue"
            imported_at=self.now,
        )
        self.tally.add(report)
        return report

    def _save(self, reports: list[Report], records):
        Report.objects.bulk_create(reports)  # PostgreSQL returns the new ids
        for report, record in zip(reports, records, strict=True):
            report.reference = f"TB-{report.pk:06d}"
            report.created_at = record.values["created_at"]  # not auto_now_add's today: when it was filed
        # bulk_update writes the values as they are (no auto_now), and touches only these columns.
        Report.objects.bulk_update(reports, ["reference", "created_at"])
        ReportUpdate.objects.bulk_create([u for report in reports for u in self._timeline(report)])

    def _timeline(self, report: Report) -> list[ReportUpdate]:
        """Created, then each step the old system dated, in order; the current status last."""
        data = {"imported_from": self.mapping.source}
        updates = [
            ReportUpdate(
                report=report,
                kind=ReportUpdate.Kind.CREATED,
                new_status=S.NEW,
                created_at=report.confirmed_at,
                data=data,
            )
        ]
        steps = [
            (report.acknowledged_at, S.ACKNOWLEDGED),
            (report.resolved_at, S.RESOLVED),
            (report.closed_at, S.CLOSED),
        ]
        steps = sorted((at, status) for at, status in steps if at is not None)
        if report.status not in {status for _, status in steps} and report.status != S.NEW:
            steps.append((report.status_since, report.status))
        old = S.NEW
        for at, status in steps:
            updates.append(
                ReportUpdate(
                    report=report, kind=ReportUpdate.Kind.STATUS, actor_role=ReportUpdate.Actor.DEPARTMENT,
                    actor_department=report.department,
                    old_status=old, new_status=status, created_at=at, data=data,
                )
            )  # fmt: skip
            old = status
        return updates


class Tally:
    """What an import writes (or would), for the command's account: by category, by status, off the map."""

    def __init__(self):
        self.categories: Counter = Counter()
        self.statuses: Counter = Counter()
        self.off_map = 0

    def add(self, report: Report):
        self.categories[report.category.slug] += 1
        self.statuses[report.status] += 1
        self.off_map += report.point is None
