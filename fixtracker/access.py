"""One place for the question "what may this person do to this report?".

Roles: staff or head of the report's department, moderator, administrator, or the reporter.
Staff of another department get a 404 for a report that is not theirs, never a hint that it
exists.
"""

from django.http import Http404

from fixtracker.models import Report
from smartmap.lib.params import parse_reference


def role_for(user, report: Report) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return "admin"
    membership = user.memberships.filter(department_id=report.department_id).first()
    if membership is not None:
        return "head" if membership.role == "head" else "staff"
    if user.is_moderator:
        return "moderator"
    if report.reporter_id == user.pk:
        return "reporter"
    return None


def is_staff_member(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_moderator or user.memberships.exists())


def access_report_as_staff(user, reference: str) -> tuple[Report, str]:
    """The report and the user's role over it, for staff pages; 404 for anyone else."""
    report = Report.objects.select_related("category", "department", "district").filter(reference=reference).first()
    role = role_for(user, report) if report is not None else None
    if role not in ("staff", "head", "moderator", "admin"):
        raise Http404
    return report, role


def access_public_report(reference: str) -> Report:
    """A public report by its reference ("TB-000123") or its bare id; 404 unless public."""
    try:
        wanted = parse_reference(reference)
    except ValueError:
        raise Http404 from None
    reports = Report.objects.select_related("category", "department", "district")
    report = reports.filter(pk=wanted).first() if isinstance(wanted, int) else reports.filter(reference=wanted).first()
    if report is None or not report.is_public:
        raise Http404
    return report
