"""Moderation: hiding what must not be public, and blocking whoever abuses the service.

A hidden report or photo keeps its record (staff still see it, the timeline says who hid it and
why); it leaves every public surface. A block covers the abuser's account, email address and client
address at once, and submission.parse_report() refuses anything new from any of them.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fixtracker import workflow
from fixtracker.actions.timeline import add_update
from fixtracker.models import Block, Report, ReportPhoto, ReportUpdate
from layers.tiles import bump_versions

MODERATION = ReportUpdate.Kind.MODERATION


@transaction.atomic
def do_hide(report: Report, *, actor, reason: str, hidden: bool = True) -> None:
    """Moderators hide a report from the public (the record is kept) or show it again."""
    report.hidden_at = timezone.now() if hidden else None
    report.hidden_reason = reason[:300] if hidden else ""
    report.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    add_update(report, MODERATION, actor, internal=True, text=reason, data={"hidden": hidden})
    # No public event is recorded (the reason is internal), so the cached tiles are expired here;
    # after commit, for the reason layers.tiles.on_events_recorded gives.
    transaction.on_commit(lambda: bump_versions([Report.LAYER]))


@transaction.atomic
def do_hide_photo(photo: ReportPhoto, *, actor, hidden: bool = True) -> None:
    photo.hidden_at = timezone.now() if hidden else None
    photo.save(update_fields=["hidden_at"])
    add_update(photo.report, MODERATION, actor, internal=True, data={"photo": photo.pk, "hidden": hidden})


@transaction.atomic
def do_block_reporter(report: Report, *, actor, reason: str) -> Block:
    """A moderator blocks whoever filed an abusive report: their account, address and client."""
    if not reason.strip():
        raise workflow.TransitionError(_("Say why the reporter is blocked."))
    block = Block.objects.create(
        user=report.reporter,
        email=report.reporter_email,
        ip=report.client_ip,
        reason=reason.strip()[:300],
        created_by=actor,
    )
    add_update(report, MODERATION, actor, internal=True, text=reason, data={"blocked": True})
    return block
