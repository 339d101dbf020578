"""Fix-Tbilisi workflows: every change to a report, atomic, on its timeline and on the event spine.

Each do_* function runs in one transaction: the report, its timeline entry (ReportUpdate) and,
while the report is public, its Event (through record_event, so subscribers' ledger rows are
written in the same transaction) either all happen or none does.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fixtracker import workflow
from fixtracker.models import DecreeDay, Report, ReportPhoto, ReportUpdate, Supporter
from layers.events import record_event
from layers.models import EventKind
from places.models import District
from smartmap.lib import working_time

S = Report.Status


def calendar() -> working_time.Calendar:
    return working_time.Calendar(extra_days=frozenset(DecreeDay.objects.values_list("date", flat=True)))


@dataclass
class NewReport:
    category: object
    point: object
    description: str = ""
    address: str = ""
    answers: dict = field(default_factory=dict)
    show_name: bool = False
    name: str = ""
    email: str = ""
    idempotency_key: object = None
    photos: list = field(default_factory=list)  # [(django File, content type, gps Point | None)]
    source: str = "citizen"


def do_submit_report(new: NewReport, *, user=None, ip=None, confirmed: bool) -> tuple[Report, bool]:
    """Store a report; returns (report, created). A repeated idempotency key returns the first one."""
    if new.idempotency_key:
        existing = Report.objects.filter(idempotency_key=new.idempotency_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            report = _create(new, user=user, ip=ip)
            if confirmed:
                _go_live(report, actor=user)
    except IntegrityError:
        # Two sends with one key raced: the other one won; answer with its report.
        existing = Report.objects.filter(idempotency_key=new.idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: _after_submit(report.pk))
    return report, True


def _create(new: NewReport, *, user, ip) -> Report:
    district = District.objects.for_point(new.point)
    now = timezone.now()
    report = Report.objects.create(
        reference=f"tmp-{new.idempotency_key or now.timestamp()}"[:100],
        title=(new.description.strip().splitlines() or [new.category.name_ka])[0][:120] or new.category.name_ka,
        description=new.description.strip(),
        address=new.address.strip()[:300],
        status=S.UNCONFIRMED,
        status_since=now,
        geom=new.point,
        point=new.point,
        district=district,
        source=new.source,
        external_id=str(new.idempotency_key or now.timestamp()),
        category=new.category,
        department=new.category.department_for(district),
        reporter=user if _real(user) else None,
        reporter_email=(user.email if _real(user) else new.email).lower(),
        reporter_name=new.name.strip()[:120],
        show_name=new.show_name,
        idempotency_key=new.idempotency_key,
        answers=new.answers,
        client_ip=ip,
    )
    report.reference = report.external_id = f"TB-{report.pk:06d}"
    report.save(update_fields=["reference", "external_id"])
    for upload, content_type, gps in new.photos:
        ReportPhoto.objects.create(
            report=report,
            kind=ReportPhoto.Kind.REPORT,
            original=upload,
            content_type=content_type,
            gps=gps,
            uploaded_by=report.reporter,
        )
    ReportUpdate.objects.create(
        report=report, kind=ReportUpdate.Kind.CREATED, actor=report.reporter, new_status=S.UNCONFIRMED
    )
    return report


def _real(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _after_submit(report_id: int):
    from fixtracker.tasks import process_report_photos

    try:
        process_report_photos.delay(report_id)
    except Exception:  # broker down: beat's sweep processes the photos later
        pass


def do_confirm_report(report: Report) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.confirmed_at is None:
            _go_live(report, actor=report.reporter)
    return report


def _go_live(report: Report, *, actor):
    """Confirmation: the report becomes public and both deadline clocks start."""
    from subscriptions.actions import do_follow_item

    now = timezone.now()
    cal = calendar()
    category = report.category
    report.confirmed_at = report.status_since = now
    report.status = S.NEW
    report.response_due_at = working_time.advance(category.response_unit, now, category.response_amount, cal)
    report.resolution_due_at = working_time.advance(category.resolution_unit, now, category.resolution_amount, cal)
    report.save()
    _timeline(
        report,
        ReportUpdate.Kind.STATUS,
        actor,
        old=S.UNCONFIRMED,
        new=S.NEW,
        data={
            "response_due_at": _local(report.response_due_at),
            "resolution_due_at": _local(report.resolution_due_at),
        },
    )
    _event(report, EventKind.CREATED, actor, new=S.NEW)
    if report.reporter_email:
        # The reporter follows their report through the subscriptions' ledger, like anyone else.
        do_follow_item(
            report.LAYER,
            report.pk,
            email=report.reporter_email,
            user=report.reporter,
            language=getattr(report.reporter, "language", None) or "ka",
        )


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
        old, now = report.status, timezone.now()
        if old == S.NEEDS_INFORMATION:
            _resume_clock(report, now, actor)
        if change.status == S.NEEDS_INFORMATION:
            report.paused_at = now
        if change.status != S.NEW and report.acknowledged_at is None and role != "reporter":
            report.acknowledged_at = now  # any answer from the service meets the response deadline
        _apply(report, change, now, role)
        update = _timeline(
            report,
            ReportUpdate.Kind.STATUS,
            actor,
            old=old,
            new=change.status,
            text=change.text,
            label=_actor_label(report, role),
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
            _merge_supporters(report, change.duplicate_of, actor)
        _event(report, EventKind.STATUS_CHANGED, actor, old=old, new=change.status, text=change.text)
    if change.proof:
        transaction.on_commit(lambda: _after_submit(report.pk))
    return report


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
        _timeline(
            report,
            ReportUpdate.Kind.DEADLINE,
            actor,
            label=_("the deadline clock"),
            data={
                "response_due_at": _local(report.response_due_at),
                "resolution_due_at": _local(report.resolution_due_at),
                "previous_resolution_due_at": _local(before[1]),
            },
        )


def _local(moment) -> str:
    """Timeline data keeps Tbilisi wall-clock time: what people read, not UTC."""
    return timezone.localtime(moment).isoformat() if moment else ""


def _actor_label(report: Report, role: str) -> str:
    """Who acted, as the public sees it: the department, never a staff member's or reporter's name."""
    if role in ("staff", "head", "admin"):
        return report.department.name_ka
    if role == "moderator":
        return str(_("Moderator"))
    return str(_("The reporter"))


def _timeline(report, kind, actor, *, old="", new="", text="", label="", internal=False, data=None) -> ReportUpdate:
    return ReportUpdate.objects.create(
        report=report,
        kind=kind,
        actor=actor if _real(actor) else None,
        actor_label=label,
        old_status=old,
        new_status=new,
        public_text=text.strip(),
        internal=internal,
        data=data or {},
    )


def _event(report: Report, kind, actor, *, old="", new="", text=""):
    if not report.is_public:
        return  # unconfirmed and hidden reports never reach the map, feeds or subscribers
    record_event(
        layer=report.LAYER,
        item_id=report.pk,
        kind=kind,
        topic=report.category.topic,
        geom=report.point,
        item_ref=report.reference,
        title=report.title,
        url=report.public_path(),
        district_id=report.district_id,
        actor=actor if _real(actor) else None,
        old_status=old,
        new_status=new or report.status,
        is_demo=report.is_demo,
        data={"category": report.category.slug, "text": text[:500]},
    )


def do_add_note(report: Report, text: str, *, actor) -> ReportUpdate:
    if not text.strip():
        raise workflow.TransitionError(_("The note is empty."))
    return _timeline(report, ReportUpdate.Kind.NOTE, actor, text=text, internal=True)


@transaction.atomic
def do_assign(report: Report, assignee, *, actor) -> None:
    if assignee is not None and not assignee.memberships.filter(department=report.department).exists():
        raise workflow.TransitionError(_("Only staff of the report's department can be assigned."))
    report.assigned_to = assignee
    report.save(update_fields=["assigned_to", "updated_at"])
    _timeline(
        report, ReportUpdate.Kind.ASSIGN, actor, internal=True, data={"assignee": assignee.email if assignee else ""}
    )


@transaction.atomic
def do_transfer(report: Report, department, *, actor, text: str) -> None:
    """A misrouted report goes to the right department; it stays open and its clock keeps running."""
    if department == report.department:
        raise workflow.TransitionError(_("The report is already with this department."))
    old = report.department
    report.department, report.assigned_to = department, None
    report.save(update_fields=["department", "assigned_to", "updated_at"])
    _timeline(
        report,
        ReportUpdate.Kind.TRANSFER,
        actor,
        text=text,
        label=old.name_ka,
        data={"from": old.name_ka, "to": department.name_ka},
    )


def _merge_supporters(duplicate: Report, original: Report, actor):
    for supporter in duplicate.supporters.all():
        Supporter.objects.get_or_create(report=original, user=supporter.user, email=supporter.email)
    Supporter.objects.get_or_create(
        report=original, user=duplicate.reporter, email="" if duplicate.reporter else duplicate.reporter_email
    )
    original.supporters_count = 1 + original.supporters.count()
    original.save(update_fields=["supporters_count", "updated_at"])
    _timeline(
        original,
        ReportUpdate.Kind.DUPLICATE,
        actor,
        label=duplicate.department.name_ka,
        data={"duplicate": duplicate.reference},
    )


@transaction.atomic
def do_support(report: Report, *, user=None, email: str = "") -> bool:
    """Add a supporter ("I have this problem too"); False if they already support it."""
    try:
        with transaction.atomic():
            Supporter.objects.create(
                report=report, user=user if _real(user) else None, email="" if _real(user) else email
            )
    except IntegrityError:
        return False
    report.supporters_count = 1 + report.supporters.count()
    report.save(update_fields=["supporters_count", "updated_at"])
    _timeline(report, ReportUpdate.Kind.SUPPORT, user, label=str(_("A resident")))
    return True


@transaction.atomic
def do_hide(report: Report, *, actor, reason: str, hidden: bool = True) -> None:
    """Moderators hide a report from the public (the record is kept) or show it again."""
    report.hidden_at = timezone.now() if hidden else None
    report.hidden_reason = reason[:300] if hidden else ""
    report.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    _timeline(report, ReportUpdate.Kind.MODERATION, actor, internal=True, text=reason, data={"hidden": hidden})


@transaction.atomic
def do_hide_photo(photo: ReportPhoto, *, actor, hidden: bool = True) -> None:
    photo.hidden_at = timezone.now() if hidden else None
    photo.save(update_fields=["hidden_at"])
    _timeline(
        photo.report, ReportUpdate.Kind.MODERATION, actor, internal=True, data={"photo": photo.pk, "hidden": hidden}
    )


@transaction.atomic
def do_block_reporter(report: Report, *, actor, reason: str):
    """A moderator blocks whoever filed an abusive report: their account, address and client."""
    from fixtracker.models import Block

    if not reason.strip():
        raise workflow.TransitionError(_("Say why the reporter is blocked."))
    block = Block.objects.create(
        user=report.reporter,
        email=report.reporter_email,
        ip=report.client_ip,
        reason=reason.strip()[:300],
        created_by=actor,
    )
    _timeline(report, ReportUpdate.Kind.MODERATION, actor, internal=True, text=reason, data={"blocked": True})
    return block


def mark_overdue(now=None) -> list[tuple[int, str]]:
    """Stamp reports whose deadline passed; each deadline once, however often this runs.

    The stamp is a conditional UPDATE (… WHERE response_overdue_at IS NULL): of two concurrent
    runs only one changes the row, and only that one records the event and tells the head.
    """
    now = now or timezone.now()
    missed = []
    candidates = Report.objects.public().open().filter(paused_at__isnull=True)
    for field_, due, done in (
        ("response_overdue_at", "response_due_at", "acknowledged_at"),
        ("resolution_overdue_at", "resolution_due_at", None),
    ):
        query = candidates.filter(**{f"{field_}__isnull": True, f"{due}__lt": now})
        if done:
            query = query.filter(**{f"{done}__isnull": True})
        for report_id in query.values_list("id", flat=True):
            with transaction.atomic():
                if Report.objects.filter(id=report_id, **{f"{field_}__isnull": True}).update(**{field_: now}) != 1:
                    continue
                report = Report.objects.select_related("category", "department").get(id=report_id)
                which = "response" if field_.startswith("response") else "resolution"
                _timeline(
                    report,
                    ReportUpdate.Kind.OVERDUE,
                    None,
                    label=str(_("the deadline clock")),
                    data={"deadline": which},
                )
                _event(report, EventKind.DEADLINE_MISSED, None, text=which)
                missed.append((report_id, which))
    return missed
