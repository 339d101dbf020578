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
            export=export,
            files=files,
            erase=erase,
        )
    )


def _mine(user):
    from django.db.models import Q

    return Report.objects.filter(Q(reporter=user) | Q(reporter_email__iexact=user.email))


def export(user) -> list[dict]:
    reports = _mine(user).select_related("category").prefetch_related("photos").order_by("created_at")
    return [
        {
            "reference": r.reference,
            "category": r.category.slug,
            "description": r.description,
            "address": r.address,
            "location": [r.point.x, r.point.y] if r.point else None,
            "status": r.status,
            "created_at": r.created_at,
            "your_name": r.reporter_name,
            "name_shown": r.show_name,
            "email": r.reporter_email,
            "photos": [f"reports/{r.reference}/{p.pk}{_extension(p)}" for p in r.photos.all()],
        }
        for r in reports
    ]


def _extension(photo) -> str:
    return {"image/png": ".png", "image/webp": ".webp"}.get(photo.content_type, ".jpg")


def files(user):
    """The photos as the person sent them (the originals, private to staff and to them)."""
    for report in _mine(user).prefetch_related("photos"):
        for photo in report.photos.all():
            try:
                opened = photo.original.open("rb")
            except (FileNotFoundError, ValueError):
                continue
            yield f"reports/{report.reference}/{photo.pk}{_extension(photo)}", opened


def erase(user) -> None:
    """Reports stay, anonymous: no account, address, name or client address is left on them."""
    from django.db.models import Q

    from fixtracker.actions.support import mailbox
    from fixtracker.models import Supporter

    _mine(user).update(reporter=None, reporter_email="", reporter_name="", show_name=False, client_ip=None)
    Supporter.objects.filter(Q(user=user) | Q(email=mailbox(user.email))).update(user=None, email="")
