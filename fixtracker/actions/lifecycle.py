"""A report's life after confirmation: every change of status, by staff, a moderator or its reporter.

fixtracker.workflow says which change is allowed to whom and what it needs; do_change_status()
applies an allowed one in one transaction, with the report row locked so two people acting at once
are applied one after the other. A change also moves the clocks: any answer from the service meets
the response deadline, "needs information" pauses both, and leaving it resumes them with what was
left (a timeline entry shows the new deadlines). Closing as a duplicate moves the duplicate's
supporters to the original. The public timeline names the department, never the person.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from fixtracker import photos, workflow
from fixtracker.actions.support import merge_supporters
from fixtracker.actions.timeline import acting_as, add_update, announce, calendar, local
from fixtracker.models import Report, ReportPhoto, ReportUpdate
from layers.models import EventKind
from smartmap.lib import working_time

S = Report.Status


@dataclass
class Change:
    status: str
    text: str = ""
    reason: str = ""
    referred_to: str = ""
    duplicate_of: Report | None = None
    scheduled_for: date | None = None
    proof: list = field(default_factory=list)  # [(django File, content type)]


def do_change_status(report: Report, change: Change, *, actor, role: str) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _check(report, change, role)
        old, now = report.status, timezone.now()
        _move_clocks(report, change, now, actor, role)
        _apply(report, change, now, role)
        update = add_update(
            report,
            ReportUpdate.Kind.STATUS,
            actor,
            old=old,
            new=change.status,
            text=change.text,
            **acting_as(report, role),
            data=_close_data(report),
        )
        for upload, content_type in change.proof:
            ReportPhoto.objects.create(
                report=report,
                update=update,
                kind=ReportPhoto.Kind.PROOF,
                original=upload,
                content_type=content_type,
                uploaded_by=actor,
            )
        if change.duplicate_of is not None:
            merge_supporters(report, change.duplicate_of, actor)
        announce(report, EventKind.STATUS_CHANGED, actor, old=old, new=change.status, text=change.text)
    if change.proof:
        transaction.on_commit(lambda: photos.queue_processing(report.pk))  # a worker must see the rows
    return report


def _check(report, change: Change, role: str):
    details = {
        "referred_to": change.referred_to,
        "duplicate_of": change.duplicate_of,
        "scheduled_for": change.scheduled_for,
    }
    workflow.check(
        role,
        report,
        change.status,
        text=change.text,
        proof_photos=len(change.proof),
        reason=change.reason,
        details=details,
    )


def _move_clocks(report, change: Change, now, actor, role: str):
    if report.status == S.NEEDS_INFORMATION:
        _resume_clock(report, now, actor)
    if change.status == S.NEEDS_INFORMATION:
        report.paused_at = now
    if change.status != S.NEW and report.acknowledged_at is None and role != "reporter":
        report.acknowledged_at = now  # any answer from the service meets the response deadline


def _apply(report, change, now, role):
    report.status, report.status_since = change.status, now
    if change.status == S.RESOLVED:
        report.resolved_at = now
    if change.status == S.SCHEDULED:
        report.scheduled_for = change.scheduled_for
    if change.status == S.CLOSED:
        report.closed_at = now
        report.close_reason = change.reason or (Report.CloseReason.FIXED if role == "reporter" else "")
        report.referred_to = change.referred_to.strip()[:300]
        report.duplicate_of = change.duplicate_of
    if change.status == S.IN_PROGRESS and role == "reporter":
        report.resolved_at = None  # disputed: the resolution did not hold
    report.save()


def _close_data(report) -> dict:
    data = {}
    if report.status == S.CLOSED:
        data = {
            "reason": report.close_reason,
            "referred_to": report.referred_to,
            "duplicate_of": report.duplicate_of.reference if report.duplicate_of else "",
        }
    if report.status == S.SCHEDULED and report.scheduled_for:
        data["scheduled_for"] = report.scheduled_for.isoformat()
    return data


def _resume_clock(report: Report, now, actor):
    """Leaving 'needs information': both deadlines move by the pause, shown on the timeline."""
    if report.paused_at is None:
        return
    cal, category = calendar(), report.category
    before = (report.response_due_at, report.resolution_due_at)
    if report.acknowledged_at is None and report.response_due_at:
        report.response_due_at = working_time.resume(
            category.response_unit, report.paused_at, now, report.response_due_at, cal
        )
    if report.resolution_due_at:
        report.resolution_due_at = working_time.resume(
            category.resolution_unit, report.paused_at, now, report.resolution_due_at, cal
        )
    report.paused_at = None
    if before != (report.response_due_at, report.resolution_due_at):
        add_update(
            report,
            ReportUpdate.Kind.DEADLINE,
            actor,
            by=ReportUpdate.Actor.CLOCK,
            data={
                "response_due_at": local(report.response_due_at),
                "resolution_due_at": local(report.resolution_due_at),
                "previous_resolution_due_at": local(before[1]),
            },
        )
