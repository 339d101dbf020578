"""Submitting a report, and its confirmation: the one way in for the web form, the phone API and Open311.

Every entry point checks its input with fixtracker.submission.parse_report() and hands the result
to do_submit_report(), which does all the rest: the report, its photos and its first timeline entry
in one transaction; then, after the commit, the photos' public copies are queued and, unless the
report went live at once, the confirmation email goes out. A report whose reporter is already known
(a verified account, a trusted Open311 client) goes live at once; anyone else confirms by the link.

The email is part of submitting, not of the entry point, so every way in behaves alike when the
mail server fails: the report stays stored and unconfirmed, the failure is logged, and the request
is answered as usual (notifications.send_report_confirmation never raises).

Confirmation (do_confirm_report) makes the report public, starts both deadline clocks, records its
`created` event and makes the reporter follow it through the subscriptions' ledger.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from fixtracker import notifications, photos
from fixtracker.actions.timeline import add_update, announce, calendar, local, real
from fixtracker.deadlines import due_dates
from fixtracker.models import Report, ReportPhoto, ReportUpdate
from layers.models import EventKind
from places.models import District

S = Report.Status


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


def do_submit_report(
    new: NewReport, *, user=None, ip=None, confirmed: bool | None = None, language: str = "ka", client: str = ""
) -> tuple[Report, bool]:
    """Store a report; returns (report, created). A repeated idempotency key returns the first one.

    `confirmed`: live at once; by default when the user's email is verified. `client`: the Open311
    application that filed it, named in the confirmation email.
    """
    if new.idempotency_key:
        existing = Report.objects.filter(idempotency_key=new.idempotency_key).first()
        if existing is not None:
            return existing, False
    if confirmed is None:
        confirmed = notifications.has_verified_email(user)
    try:
        with transaction.atomic():
            report = _create(new, user=user, ip=ip)
            if confirmed:
                # Live at once; its reporter's address is proven only by a verified account.
                _go_live(report, actor=user, address_proven=notifications.has_verified_email(user))
    except IntegrityError:
        # Two sends with one key raced: the other one won; answer with its report.
        existing = Report.objects.filter(idempotency_key=new.idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    # After the commit: a worker must find the photos, and a confirmation link must open a report.
    transaction.on_commit(lambda: photos.queue_processing(report.pk))
    if not confirmed:
        transaction.on_commit(lambda: notifications.send_report_confirmation(report.pk, language, client=client))
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
        reporter=user if real(user) else None,
        reporter_email=(user.email if real(user) else new.email).lower(),
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
    add_update(report, ReportUpdate.Kind.CREATED, report.reporter, new=S.UNCONFIRMED)
    return report


def do_confirm_report(report: Report) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.confirmed_at is None:
            _go_live(report, actor=report.reporter, address_proven=True)  # the address's owner opened the link
    return report


def _go_live(report: Report, *, actor, address_proven: bool):
    """Confirmation: the report becomes public and both deadline clocks start.

    The reporter follows it; when nobody has proven the address is theirs (a trusted application
    filed in their name), that follow waits for the address's own opt-in.
    """
    from subscriptions.actions import do_follow_item

    now = timezone.now()
    report.confirmed_at = report.status_since = now
    report.status = S.NEW
    report.response_due_at, report.resolution_due_at = due_dates(report.category, now, calendar())
    report.save()
    due = {"response_due_at": local(report.response_due_at), "resolution_due_at": local(report.resolution_due_at)}
    add_update(report, ReportUpdate.Kind.STATUS, actor, old=S.UNCONFIRMED, new=S.NEW, data=due)
    announce(report, EventKind.CREATED, actor, new=S.NEW)
    if report.reporter_email:
        # The reporter follows their report through the subscriptions' ledger, like anyone else.
        do_follow_item(
            report.LAYER,
            report.pk,
            email=report.reporter_email,
            user=report.reporter,
            language=getattr(report.reporter, "language", None) or "ka",
            proven=address_proven,
            name="" if address_proven else report.reference,  # what the opt-in email asks about
        )
