"""A report's two deadlines as people see them: time left, due soon, overdue by how long, or met."""

from datetime import timedelta

from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fixtracker.models import Report

DUE_SOON = timedelta(hours=4)


def deadline(label: str, due, met_at, paused_at, now) -> dict:
    if due is None:
        return {"label": label, "state": "none", "text": ""}
    if met_at is not None:
        on_time = met_at <= due
        state, text = (
            ("met", _("met on time"))
            if on_time
            else ("late", _("met late, by %(late)s") % {"late": timeuntil(met_at, due)})
        )
    elif paused_at is not None:
        state, text = "paused", _("paused while waiting for information")
    elif due <= now:
        state, text = "overdue", _("overdue by %(late)s") % {"late": timeuntil(now, due)}
    else:
        state = "due_soon" if due - now <= DUE_SOON else "running"
        text = _("%(left)s left") % {"left": timeuntil(due, now)}
    return {"label": label, "state": state, "text": text, "due_at": due.isoformat(), "due": due}


def clocks(report: Report, now=None) -> list[dict]:
    now = now or timezone.now()
    done = report.resolved_at or (report.closed_at if report.status == Report.Status.CLOSED else None)
    return [
        deadline(_("Response"), report.response_due_at, report.acknowledged_at, report.paused_at, now),
        deadline(_("Resolution"), report.resolution_due_at, done, report.paused_at, now),
    ]


def worst_state(report: Report, now=None) -> str:
    """One word for the map marker: overdue beats due_soon beats running; met when all are met."""
    states = [c["state"] for c in clocks(report, now)]
    for state in ("overdue", "late", "due_soon", "paused", "running"):
        if state in states:
            return state
    return "met"


def deadline_text(amount: int, unit: str) -> str:
    texts = {
        "calendar_hours": ngettext("%(n)d hour, day and night", "%(n)d hours, day and night", amount),
        "working_hours": ngettext("%(n)d working hour", "%(n)d working hours", amount),
        "working_days": ngettext("%(n)d working day", "%(n)d working days", amount),
    }
    return texts[unit] % {"n": amount}
