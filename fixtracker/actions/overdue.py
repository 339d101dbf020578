"""The overdue sweep: each missed deadline stamped, put on the timeline and announced, exactly once.

Beat runs it every minute (fixtracker.tasks.mark_overdue_reports, which then tells the department's
head). Which reports are overdue is fixtracker.deadlines' rule, through Report.objects.overdue();
this module only decides who stamps each one. Imported reports are passed by: their deadlines are
the old hotline's history, and no clock of theirs runs here (fixtracker.importing). The stamp is a
conditional UPDATE (… WHERE <deadline>_overdue_at IS NULL): of two concurrent runs only one changes
the row, and only that one writes the timeline entry and the event.
"""

from django.db import transaction
from django.utils import timezone

from fixtracker.actions.timeline import add_update, announce
from fixtracker.deadlines import DEADLINES
from fixtracker.models import Report, ReportUpdate
from layers.models import EventKind


def mark_overdue(now=None) -> list[tuple[int, str]]:
    """Stamp the public reports whose deadline passed; returns (report id, deadline name) stamped now."""
    now = now or timezone.now()
    missed = []
    for deadline in DEADLINES:
        candidates = Report.objects.public().overdue(now, deadline).filter(
            **{f"{deadline.missed}__isnull": True}, imported_at__isnull=True
        )
        for report_id in candidates.values_list("id", flat=True):
            if _stamp(report_id, deadline, now):
                missed.append((report_id, deadline.name))
    return missed


@transaction.atomic
def _stamp(report_id: int, deadline, now) -> bool:
    unstamped = Report.objects.filter(id=report_id, **{f"{deadline.missed}__isnull": True})
    if unstamped.update(**{deadline.missed: now}) != 1:
        return False  # another run stamped it first
    report = Report.objects.select_related("category", "department").get(id=report_id)
    by_clock = ReportUpdate.Actor.CLOCK
    add_update(report, ReportUpdate.Kind.OVERDUE, None, by=by_clock, data={"deadline": deadline.name})
    announce(report, EventKind.DEADLINE_MISSED, None, text=deadline.name)
    return True
