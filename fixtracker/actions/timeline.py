"""The trace every action leaves: an entry on the report's timeline and, while it is public, an event.

The timeline (ReportUpdate rows) is the report's own record, written once and never edited; it
holds internal notes too, marked internal. The event goes on the spine, built by layers.events'
item_event like every item's; it is what the map, feeds and subscribers read, and unconfirmed or
hidden reports never reach it. Both are written inside the caller's transaction, so a change and
its trace commit or vanish together.

Who acted is shown publicly as the department, a moderator or "the reporter", never as a person.
It is stored as a role (ReportUpdate.Actor) and, for a department, which one, never as words: the
entry is read in Georgian and in English, and says it in the reader's language.
"""

from django.utils import timezone

from fixtracker.models import DecreeDay, Report, ReportUpdate
from layers.events import item_event, record_events
from smartmap.lib import working_time


def calendar() -> working_time.Calendar:
    """Georgia's working calendar with the city's days off by decree."""
    return working_time.Calendar(extra_days=frozenset(DecreeDay.objects.values_list("date", flat=True)))


def real(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def local(moment) -> str:
    """Timeline data keeps Tbilisi wall-clock time: what people read, not UTC."""
    return timezone.localtime(moment).isoformat() if moment else ""


def acting_as(report: Report, role: str) -> dict:
    """Who acted, as the public sees it (add_update's `by` and `department`) for a workflow role."""
    if role in ("staff", "head", "admin"):
        return {"by": ReportUpdate.Actor.DEPARTMENT, "department": report.department}
    if role == "moderator":
        return {"by": ReportUpdate.Actor.MODERATOR}
    return {"by": ReportUpdate.Actor.REPORTER}


def add_update(
    report, kind, actor, *, old="", new="", text="", by="", department=None, internal=False, data=None
) -> ReportUpdate:
    return ReportUpdate.objects.create(
        report=report,
        kind=kind,
        actor=actor if real(actor) else None,
        actor_role=by,
        actor_department=department,
        old_status=old,
        new_status=new,
        public_text=text.strip(),
        internal=internal,
        data=data or {},
    )


def announce(report: Report, kind, actor, *, old="", new="", text=""):
    """The report's event on the spine; nothing while it is not public."""
    if not report.is_public:
        return
    event = item_event(
        report,
        kind,
        topic=report.category.topic,
        old_status=old,
        new_status=new,
        actor=actor if real(actor) else None,
        data={"category": report.category.slug, "text": text[:500], **_verdict(report, new)},
    )
    record_events([event])


def _verdict(report: Report, new) -> dict:
    """The clock's verdict on a resolution: seconds late against the resolution deadline (0: on time)."""
    if new != Report.Status.RESOLVED or not (report.resolved_at and report.resolution_due_at):
        return {}
    return {"late_seconds": max(0, int((report.resolved_at - report.resolution_due_at).total_seconds()))}
