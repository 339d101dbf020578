"""A report's two deadlines, and the one rule that says whether each is met, running or overdue.

A confirmed report carries two promises: a response (someone from the service acknowledges it)
and a resolution (it is fixed, or closed with a reason). Each is a `Deadline`: the field that says
when it falls due, the fields whose being set means it was kept, and the stamp the overdue sweep
writes once when it was missed. From these, one rule gives its state:

- met or late: kept (on time or not), whatever the clock says now;
- paused: the service is waiting for information from the reporter, so no time runs;
- overdue: due, not kept, not paused;
- due soon (within DUE_SOON) or running.

That rule is written here once, in three dialects that must not drift apart: Python for pages and
the API (`state`), a Django Q for the sweep and the staff queue (`overdue_q`), and SQL for the
map's tiles, which compute the marker's word where the tile is made (`marker_sql`). A marker shows
the worst state of the two, in the order of STATES.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from smartmap.lib import working_time

DUE_SOON = timedelta(hours=4)
# Worst first: the marker of a report shows the first of these that either deadline is in.
STATES = ("overdue", "late", "due_soon", "paused", "running")


@dataclass(frozen=True)
class Deadline:
    name: str  # "response" or "resolution", as the timeline and the events say it
    label: Promise
    due: str  # the field: when it falls due
    kept: tuple[str, ...]  # the fields: when it was kept (the first one set)
    missed: str  # the field the overdue sweep stamps, once

    def kept_at(self, report):
        return next((getattr(report, f) for f in self.kept if getattr(report, f) is not None), None)

    def overdue_q(self, now) -> Q:
        """The ORM form of "overdue" (see state()): due by now, not kept, not paused."""
        kept = {f"{field}__isnull": True for field in self.kept}
        return Q(**{f"{self.due}__lte": now}, paused_at__isnull=True, **kept)

    def state_sql(self, alias: str, now: str = "now()") -> str:
        """The SQL form of state(), over the row `alias`, at `now` (an SQL expression)."""
        due, kept = f"{alias}.{self.due}", f"COALESCE({', '.join(f'{alias}.{f}' for f in self.kept)})"
        return f"""CASE WHEN {due} IS NULL THEN NULL
            WHEN {kept} IS NOT NULL THEN CASE WHEN {kept} <= {due} THEN 'met' ELSE 'late' END
            WHEN {alias}.paused_at IS NOT NULL THEN 'paused'
            WHEN {due} <= {now} THEN 'overdue'
            WHEN {due} <= {now} + interval '{int(DUE_SOON.total_seconds())} seconds' THEN 'due_soon'
            ELSE 'running' END"""


RESPONSE = Deadline(
    "response", gettext_lazy("Response"), "response_due_at", ("acknowledged_at",), "response_overdue_at"
)
RESOLUTION = Deadline(
    "resolution", gettext_lazy("Resolution"), "resolution_due_at", ("resolved_at", "closed_at"), "resolution_overdue_at"
)
DEADLINES = (RESPONSE, RESOLUTION)


def due_dates(category, start, calendar) -> tuple:
    """(response due, resolution due) of a report of `category` whose clock starts at `start`: the
    category's promises in their own units (working hours and days skip Georgia's days off)."""
    response = working_time.advance(category.response_unit, start, category.response_amount, calendar)
    resolution = working_time.advance(category.resolution_unit, start, category.resolution_amount, calendar)
    return response, resolution


def state(due, kept_at, paused_at, now) -> str:
    """The rule (see the module's docstring): "none" when there is no deadline."""
    if due is None:
        return "none"
    if kept_at is not None:
        return "met" if kept_at <= due else "late"
    if paused_at is not None:
        return "paused"
    if due <= now:
        return "overdue"
    return "due_soon" if due - now <= DUE_SOON else "running"


def overdue_q(now) -> Q:
    """Either deadline overdue."""
    return RESPONSE.overdue_q(now) | RESOLUTION.overdue_q(now)


def marker_sql(alias: str = "i", now: str = "now()") -> str:
    """The worst state of both deadlines as one word, for the map marker ('met' when none is worse)."""
    ranks = "ARRAY[" + ", ".join(f"'{s}'" for s in STATES) + "]"
    positions = ", ".join(f"array_position({ranks}, {d.state_sql(alias, now)})" for d in DEADLINES)
    return f"COALESCE(({ranks})[LEAST({positions})], 'met')"


def clock(deadline: Deadline, report, now, current: str | None = None) -> dict:
    """One deadline as the report's pages and API show it; `current` when the database said it."""
    due, kept_at = getattr(report, deadline.due), deadline.kept_at(report)
    current = current or state(due, kept_at, report.paused_at, now)
    if current == "none":
        return {"label": str(deadline.label), "state": current, "text": ""}
    texts = {
        "met": lambda: _("met on time"),
        "late": lambda: _("met late, by %(late)s") % {"late": timeuntil(kept_at, due)},
        "paused": lambda: _("paused while waiting for information"),
        "overdue": lambda: _("overdue by %(late)s") % {"late": timeuntil(now, due)},
    }
    text = texts.get(current, lambda: _("%(left)s left") % {"left": timeuntil(due, now)})()
    return {"label": str(deadline.label), "state": current, "text": text, "due_at": due.isoformat(), "due": due}


def clocks(report, now=None) -> list[dict]:
    now = now or timezone.now()
    return [clock(deadline, report, now) for deadline in DEADLINES]


def with_states_sql(reports, alias: str = "fixtracker_report"):
    """The queryset with each deadline's state and the marker's word computed by PostgreSQL
    (`response_state`, `resolution_state`, `marker_state`), at the statement's now()."""
    from django.db.models.expressions import RawSQL

    states = {f"{d.name}_state": RawSQL(f"COALESCE({d.state_sql(alias)}, 'none')", ()) for d in DEADLINES}
    return reports.annotate(**states, marker_state=RawSQL(marker_sql(alias), ()))


def clocks_from_sql(report, now) -> list[dict]:
    """clocks(), with the states the database computed (with_states_sql): only the words are made here."""
    return [clock(d, report, now, getattr(report, f"{d.name}_state")) for d in DEADLINES]


def worst_state(report, now=None) -> str:
    """One word for the map marker: the same answer as marker_sql()."""
    states = [c["state"] for c in clocks(report, now)]
    return next((s for s in STATES if s in states), "met")


def deadline_text(amount: int, unit: str) -> str:
    texts = {
        "calendar_hours": ngettext("%(n)d hour, day and night", "%(n)d hours, day and night", amount),
        "working_hours": ngettext("%(n)d working hour", "%(n)d working hours", amount),
        "working_days": ngettext("%(n)d working day", "%(n)d working days", amount),
    }
    return texts[unit] % {"n": amount}
