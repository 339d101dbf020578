"""Checking a citizen's report before anything is stored: one function for every way in.

The phone page's JSON/multipart API, the Open311 POST and the no-JavaScript form all call
parse_report(); it returns a NewReport or raises ReportInputError with field and message in the
request's language. Limits on how often one account, address or client may report are counted
in PostgreSQL by fixtracker.limits, so they hold when Redis is down.
"""

import uuid

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from fixtracker import limits
from fixtracker.actions.submitting import NewReport
from fixtracker.models import Block, Category, Report, ReportPhoto
from fixtracker.photos import PhotoError, check_upload
from places.models import CityBoundary
from smartmap.lib.coordinates import parse_lonlat_pair
from smartmap.lib.text import TextError, clean_text

MAX_PHOTOS = 3
MAX_DESCRIPTION = 2000
PER_HOUR = {"ip": 10, "email": 6, "user": 10, "client": 1000}
PHOTOS_PER_HOUR = {"ip": 30, "email": 18, "user": 30, "client": 3000}


class ReportInputError(ValueError):
    """`retry_after`: for a 429, the seconds until one more fits (the Retry-After header)."""

    def __init__(self, field: str, message: str, status: int = 400, retry_after: int | None = None):
        super().__init__(message)
        self.field, self.message, self.status, self.retry_after = field, message, status, retry_after


def parse_report(
    data, files: list, *, user=None, ip=None, source="citizen", client=False, email_required=True
) -> NewReport:
    """`client`: the request comes from an Open311 application's server, which speaks for many
    residents from one address; its limit is counted per application (its source), not per address.
    `email_required`: a trusted application may file reports without a reporter's email.
    """
    category = (
        Category.objects.filter(slug=_text(data, "category", single_line=True), active=True)
        .select_related("department")
        .first()
    )
    if category is None:
        raise ReportInputError("category", _("Choose what kind of problem it is."))
    point = _location(data)
    email = "" if _real(user) else _email(data, required=email_required)
    description = _text(data, "description")
    if len(description) > MAX_DESCRIPTION:
        raise ReportInputError(
            "description", _("The description is longer than %(n)d characters.") % {"n": MAX_DESCRIPTION}
        )
    if not description and not files:
        raise ReportInputError("description", _("Describe the problem or add a photo."))
    if len(files) > MAX_PHOTOS:
        raise ReportInputError("photos", _("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    key = _idempotency_key(data.get("idempotency_key"))
    if key is None or not Report.objects.filter(idempotency_key=key).exists():
        _check_limits(user, email, None if client else ip, len(files), source if client else None)
    photos = []
    for upload in files:
        try:
            checked = check_upload(upload)
        except PhotoError as exc:
            raise ReportInputError("photos", f"{upload.name}: {exc}") from None
        photos.append((upload, checked.content_type, checked.gps))
    return NewReport(
        category=category,
        point=point,
        description=description,
        address=_text(data, "address", single_line=True)[:300],
        answers=_answers(category, data),
        show_name=str(data.get("show_name", "")).lower() in ("1", "true", "on", "yes"),
        name=_text(data, "name", single_line=True)[:120],
        email=email,
        idempotency_key=key,
        photos=photos,
        source=source,
    )


def _text(data, field: str, single_line: bool = False) -> str:
    """The field's text through the one cleaner; its refusal names the field."""
    try:
        return clean_text(data.get(field) or "", single_line=single_line)
    except TextError as exc:
        raise ReportInputError(field, f"{field}: {exc}") from None


def _real(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _location(data) -> Point:
    lon, lat = str(data.get("lon", data.get("long", ""))), str(data.get("lat", ""))
    if not (lon.strip() and lat.strip()):
        raise ReportInputError("location", _("Show where the problem is: allow location or put the pin on the map."))
    try:
        point = Point(*parse_lonlat_pair(lon, lat), srid=4326)
    except ValueError:
        raise ReportInputError("location", _("The location is not a valid place.")) from None
    if not CityBoundary.objects.covers(point):
        raise ReportInputError("location", _("This place is outside Tbilisi; Fix-Tbilisi covers the city only."))
    return point


def _email(data, required=True) -> str:
    email = _text(data, "email", single_line=True).lower()
    if not email and not required:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise ReportInputError(
            "email", _("Give your email so we can confirm the report and tell you of progress.")
        ) from None
    return email


def _idempotency_key(raw):
    if raw in (None, ""):
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise ReportInputError("idempotency_key", _("The sending key is malformed.")) from None


def _answers(category, data) -> dict:
    answers = {}
    for question in category.questions:
        value = _text(data, f"answer_{question['key']}", single_line=True)[:300]
        if question.get("required") and not value:
            raise ReportInputError(f"answer_{question['key']}", _("Please answer this question."))
        choices = [c[0] for c in question.get("choices", [])]
        if value and choices and value not in choices:
            raise ReportInputError(f"answer_{question['key']}", _("Choose one of the offered answers."))
        if value:
            answers[question["key"]] = value
    return answers


def _check_limits(user, email, ip, photos: int, client_source=None):
    if Block.applies(user=user, email=email, ip=ip):
        raise ReportInputError(
            "reporter", _("Reporting from this account or address has been blocked by a moderator."), 403
        )
    who = []
    if _real(user):
        who.append(("user", {"reporter": user}, {"report__reporter": user}))
    if email:
        who.append(("email", {"reporter_email__iexact": email}, {"report__reporter_email__iexact": email}))
    if ip:
        who.append(("ip", {"client_ip": ip}, {"report__client_ip": ip}))
    if client_source:
        who.append(("client", {"source": client_source}, {"report__source": client_source}))
    for kind, report_filter, photo_filter in who:
        wait = limits.retry_after(Report.objects.filter(**report_filter), PER_HOUR[kind])
        if wait:
            raise ReportInputError(
                "reporter", _("You have sent many reports in the last hour; please try again later."), 429, wait
            )
        wait = photos and limits.retry_after(
            ReportPhoto.objects.filter(**photo_filter), PHOTOS_PER_HOUR[kind], more=photos
        )
        if wait:
            raise ReportInputError(
                "photos", _("You have sent many photos in the last hour; please try again later."), 429, wait
            )
