"""A public report as a GeoReport v2 service request, with the `extensions=true` notes.

Only what the public report page shows goes out: never the reporter's name or email, never an
internal note, never a private original photo. Datetimes are W3C with Tbilisi's offset.
"""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from fixtracker.models import Report, ReportPhoto, ReportUpdate
from fixtracker.workflow import OPEN

S = Report.Status
CLOSED = {S.RESOLVED, S.CLOSED}
# Staff-only kinds; they are also stored internal=True, this is a second lock on the same door.
PRIVATE_KINDS = [ReportUpdate.Kind.NOTE, ReportUpdate.Kind.ASSIGN, ReportUpdate.Kind.MODERATION]


def public_updates():
    return ReportUpdate.objects.filter(internal=False).exclude(kind__in=PRIVATE_KINDS)


def annotated(queryset, *, notes: bool = False):
    """The columns and prefetches one page of requests needs, in a fixed number of queries."""
    latest_text = public_updates().filter(report=OuterRef("pk")).exclude(public_text="").order_by("-created_at", "-id")
    queryset = queryset.select_related("category", "department").annotate(
        status_notes=Subquery(latest_text.values("public_text")[:1])
    )
    photos = ReportPhoto.objects.filter(kind=ReportPhoto.Kind.REPORT, hidden_at__isnull=True).exclude(public="")
    queryset = queryset.prefetch_related(Prefetch("photos", queryset=photos, to_attr="public_photos"))
    if notes:
        queryset = queryset.prefetch_related(Prefetch("updates", queryset=public_updates(), to_attr="public_updates"))
    return queryset


def w3c(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED else "open"


def service_request(report: Report, request, *, notes: bool = False) -> dict:
    photo = report.public_photos[0] if report.public_photos else None
    body = {
        "service_request_id": report.reference,
        "status": open_or_closed(report.status),
        "status_notes": report.status_notes or None,
        "service_name": report.category.name,
        "service_code": report.category.slug,
        "description": report.description,
        "agency_responsible": report.department.name,
        "service_notice": service_notice(report),
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.resolution_due_at),
        "address": report.address,
        "address_id": None,
        "zipcode": None,
        "lat": round(report.point.y, 6) if report.point else None,
        "long": round(report.point.x, 6) if report.point else None,
        "media_url": request.build_absolute_uri(photo.public.url) if photo else None,
    }
    if notes:
        body["detailed_status"] = report.status
        body["notes"] = [_note(update) for update in report.public_updates]
    return body


def service_notice(report: Report) -> str | None:
    if report.status == S.SCHEDULED and report.scheduled_for:
        return _("The work is scheduled for %(date)s.") % {"date": report.scheduled_for.isoformat()}
    if report.status == S.CLOSED and report.close_reason == Report.CloseReason.NOT_OURS and report.referred_to:
        return _("Referred to %(whom)s.") % {"whom": report.referred_to}
    if report.status == S.CLOSED and report.close_reason == Report.CloseReason.DUPLICATE and report.duplicate_of_id:
        return _("A duplicate of another report.")
    if report.status in OPEN and report.response_due_at and not report.acknowledged_at:
        return _("The service answers by %(when)s.") % {"when": w3c(report.response_due_at)}
    return None


def _note(update: ReportUpdate) -> dict:
    """One public timeline entry, in the shape Open311 servers' `notes` extension uses."""
    status = update.new_status if update.new_status and update.new_status != S.UNCONFIRMED else None
    return {
        "datetime": w3c(update.created_at),
        "type": update.kind,
        "summary": str(Report.Status(status).label) if status else str(update.get_kind_display()),
        "description": update.public_text or None,
        "status": open_or_closed(status) if status else None,
        "detailed_status": status,
    }
