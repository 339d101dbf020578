"""City Hall's response record: how each service answers the reports it receives, in figures anyone can check.

The record reads only what the open data publishes (the reports' own dates and the status history
on the event spine), so tests/stats/test_record_from_export.py recomputes it from the export files
with pandas and must get the same numbers. The definitions, shown on the page too:

- received: public reports (confirmed, not hidden, not withdrawn) whose clock started in the
  period (confirmed_at, Tbilisi days);
- acknowledged on time: acknowledged_at ≤ response_due_at, among the received reports whose
  response is decided (acknowledged, or due and not acknowledged by now); resolved on time the
  same with the resolution (resolved_at or closed_at) and resolution_due_at;
- paused time does not count: while a report waits for information from its reporter its clock
  stops, and the deadline moves on by the paused time when it resumes; a transfer to another
  service keeps the clock (the deadlines are not restarted);
- times to acknowledge and to resolve are measured from confirmed_at in the deadline's own unit
  (calendar hours, working hours, working days: smartmap.lib.working_time with Georgia's holidays
  and the city's days off by decree); a group whose categories use several units shows each;
- overdue now: open reports past either deadline at this moment, not paused (fixtracker.deadlines'
  one rule), whatever the period;
- reopened: resolved reports whose reporter disputed the resolution (an event resolved → in
  progress), as a share of the received reports that were ever resolved;
- not City Hall's: closed with the reason "not our responsibility", as a share of received.

Fairness: a row with fewer than FAIR_MINIMUM received reports shows counts, never percentages,
and every percentage whose own base is below it is shown as a count too. Rows are listed by name
and never ranked, so a small service's 2 of 3 does not sit above a large one's 880 of 1,000.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from layers.filters import day_start
from smartmap.lib import working_time

FAIR_MINIMUM = 10
BY = ("department", "category", "district")


@dataclass
class Facts:
    """One received report, as the record needs it."""

    id: int
    reference: str
    department_id: int
    category_id: int
    district_id: int | None
    received: datetime
    response_due: datetime | None
    acknowledged: datetime | None
    resolution_due: datetime | None
    finished: datetime | None
    close_reason: str
    paused: bool
    open: bool
    reopened: bool
    response_unit: str
    resolution_unit: str


@dataclass
class Share:
    part: int
    whole: int

    @property
    def fair(self) -> bool:
        return self.whole >= FAIR_MINIMUM

    @property
    def percent(self) -> float | None:
        return round(100 * self.part / self.whole, 1) if self.whole and self.fair else None


@dataclass
class Figures:
    received: int = 0
    acknowledged_on_time: Share = field(default_factory=lambda: Share(0, 0))
    resolved_on_time: Share = field(default_factory=lambda: Share(0, 0))
    reopened: Share = field(default_factory=lambda: Share(0, 0))
    not_ours: Share = field(default_factory=lambda: Share(0, 0))
    to_acknowledge: dict = field(default_factory=dict)  # unit -> {"median", "p90", "n"}
    to_resolve: dict = field(default_factory=dict)

    @property
    def fair(self) -> bool:
        return self.received >= FAIR_MINIMUM


FACTS_SQL = """
    SELECT r.id, r.reference, r.department_id, r.category_id, r.district_id, r.confirmed_at,
           r.response_due_at, r.acknowledged_at, r.resolution_due_at, coalesce(r.resolved_at, r.closed_at),
           r.close_reason, r.paused_at IS NOT NULL, r.status NOT IN ('resolved', 'closed'),
           EXISTS (SELECT 1 FROM layers_event e WHERE e.layer = 'reports' AND e.item_id = r.id
                   AND e.old_status = 'resolved' AND e.new_status = 'in_progress'),
           c.response_unit, c.resolution_unit
    FROM fixtracker_report r JOIN fixtracker_category c ON c.id = r.category_id
    WHERE r.confirmed_at IS NOT NULL AND r.hidden_at IS NULL AND r.withdrawn_at IS NULL
      AND r.confirmed_at >= %(since)s AND r.confirmed_at < %(until)s {extra}
    ORDER BY r.confirmed_at, r.id"""


def load_facts(date_from: date, date_to: date, only: dict | None = None) -> list[Facts]:
    """The received reports of [date_from, date_to] (Tbilisi days), optionally of one department/category/district."""
    params = {"since": day_start(date_from), "until": day_start(date.fromordinal(date_to.toordinal() + 1))}
    extra = ""
    for name, value in (only or {}).items():
        # The column name comes from BY, never from input; the value is a parameter.
        assert name in BY
        extra += f" AND r.{name}_id = %({name})s"
        params[name] = value
    with connection.cursor() as cursor:
        cursor.execute(FACTS_SQL.format(extra=extra), params)
        return [Facts(*row) for row in cursor.fetchall()]


def figures(facts: list[Facts], now: datetime | None = None, calendar=None) -> Figures:
    now = now or timezone.now()
    calendar = calendar or working_time.Calendar()
    result = Figures(received=len(facts))
    ack_decided = [f for f in facts if f.response_due and (f.acknowledged or f.response_due <= now)]
    res_decided = [f for f in facts if f.resolution_due and (f.finished or f.resolution_due <= now)]
    ever_resolved = [f for f in facts if f.finished or f.reopened]
    result.acknowledged_on_time = Share(
        sum(1 for f in ack_decided if f.acknowledged and f.acknowledged <= f.response_due), len(ack_decided)
    )
    result.resolved_on_time = Share(
        sum(1 for f in res_decided if f.finished and f.finished <= f.resolution_due), len(res_decided)
    )
    result.reopened = Share(sum(1 for f in ever_resolved if f.reopened), len(ever_resolved))
    result.not_ours = Share(sum(1 for f in facts if f.close_reason == "not_ours"), len(facts))
    result.to_acknowledge = _durations(facts, "acknowledged", "response_unit", calendar)
    result.to_resolve = _durations(facts, "finished", "resolution_unit", calendar)
    return result


def _durations(facts, end: str, unit: str, calendar) -> dict:
    """{unit: {"median", "p90", "n"}} of the time from confirmation to `end`, in each deadline unit."""
    by_unit = defaultdict(list)
    for f in facts:
        stop = getattr(f, end)
        if stop is not None:
            by_unit[getattr(f, unit)].append(working_time.remaining(getattr(f, unit), f.received, stop, calendar))
    return {
        u: {"median": round(statistics.median(v), 1), "p90": round(p90(v), 1), "n": len(v)} for u, v in by_unit.items()
    }


def p90(values: list[float]) -> float:
    """The 90th percentile, linear between the closest ranks (numpy's and pandas' default)."""
    ordered = sorted(values)
    position = 0.9 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def by_group(facts: list[Facts], by: str) -> dict:
    groups = defaultdict(list)
    for f in facts:
        groups[getattr(f, f"{by}_id") or 0].append(f)
    return groups


def months(facts: list[Facts]) -> dict:
    """{first day of the Tbilisi month: facts received in it}."""
    groups = defaultdict(list)
    for f in facts:
        local = timezone.localtime(f.received)
        groups[date(local.year, local.month, 1)].append(f)
    return dict(sorted(groups.items()))


def overdue_now(only: dict | None = None, limit: int = 10):
    """(how many public reports are overdue now, the oldest open public reports)."""
    from fixtracker.deadlines import overdue_q
    from fixtracker.models import Report

    public = Report.objects.public().filter(**{f"{k}_id": v for k, v in (only or {}).items()})
    overdue = public.filter(overdue_q(timezone.now())).exclude(status__in=["resolved", "closed"])
    oldest = public.exclude(status__in=["resolved", "closed"]).order_by("confirmed_at", "id")
    return overdue.count(), list(oldest.select_related("category", "department")[:limit])
