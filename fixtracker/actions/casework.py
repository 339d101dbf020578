"""Staff casework on a report that is not a change of status: internal notes, assignment, transfer.

Notes and assignments are internal timeline entries (never shown to the public). A transfer sends
a misrouted report to the right department: it stays open, its clocks keep running (the city's
promise does not restart because it was routed wrongly), and the public timeline says where it went.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from fixtracker import workflow
from fixtracker.actions.timeline import add_update
from fixtracker.models import Report, ReportUpdate


def do_add_note(report: Report, text: str, *, actor) -> ReportUpdate:
    if not text.strip():
        raise workflow.TransitionError(_("The note is empty."))
    return add_update(report, ReportUpdate.Kind.NOTE, actor, text=text, internal=True)


@transaction.atomic
def do_assign(report: Report, assignee, *, actor) -> None:
    if assignee is not None and not assignee.memberships.filter(department=report.department).exists():
        raise workflow.TransitionError(_("Only staff of the report's department can be assigned."))
    report.assigned_to = assignee
    report.save(update_fields=["assigned_to", "updated_at"])
    data = {"assignee": assignee.email if assignee else ""}
    add_update(report, ReportUpdate.Kind.ASSIGN, actor, internal=True, data=data)


@transaction.atomic
def do_transfer(report: Report, department, *, actor, text: str) -> None:
    """A misrouted report goes to the right department; it stays open and its clock keeps running."""
    if department == report.department:
        raise workflow.TransitionError(_("The report is already with this department."))
    old = report.department
    report.department, report.assigned_to = department, None
    report.save(update_fields=["department", "assigned_to", "updated_at"])
    data = {"from": old.pk, "to": department.pk}  # ids: the names are chosen when read, in its language
    by = ReportUpdate.Actor.DEPARTMENT
    add_update(report, ReportUpdate.Kind.TRANSFER, actor, text=text, by=by, department=old, data=data)
