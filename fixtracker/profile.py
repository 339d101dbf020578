"""Fix-Tbilisi's part of the profiles: my reports, and on the public page only the public reports on
which the person chose to show their name (the rest stay anonymous, even to a curious visitor)."""

from fixtracker.models import Report


def my_reports(request) -> dict:
    reports = Report.objects.filter(reporter=request.user).select_related("category").order_by("-created_at")[:50]
    return {"reports": reports}


def named_reports(request, person) -> dict:
    reports = (
        Report.objects.public()
        .filter(reporter=person, show_name=True)
        .exclude(reporter_name="")
        .select_related("category")
        .order_by("-created_at")[:50]
    )
    return {"reports": reports}


def register_sections():
    from accounts.sections import ProfileSection, register

    register(
        ProfileSection(
            "reports",
            10,
            "fixtracker/_profile_reports.html",
            my_reports,
            public_template="fixtracker/_public_reports.html",
            public_context=named_reports,
        )
    )
