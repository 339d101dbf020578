"""The Fix-Tbilisi JSON API that the phone page uses (Open311 is in fixtracker/open311/)."""

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from fixtracker import deadlines
from fixtracker.access import access_public_report
from fixtracker.actions.submitting import do_submit_report
from fixtracker.actions.support import SupportRefused, do_support, supporter_address
from fixtracker.models import Category, Report
from fixtracker.submission import ReportInputError, parse_report
from smartmap import schema
from smartmap.api import bad_request
from smartmap.lib.coordinates import parse_lonlat_pair
from smartmap.lib.http import client_ip
from smartmap.parsers import JSONObjectParser

NEARBY_METRES = 50
_TEXT = {"type": "string"}
REPORT_FIELDS = {
    "category": {"type": "string", "description": "a category's slug (GET reports/categories/)"},
    "lon": {"type": "number", "minimum": -180, "maximum": 180, "description": "WGS 84, inside Tbilisi"},
    "lat": {"type": "number", "minimum": -90, "maximum": 90, "description": "WGS 84, inside Tbilisi"},
    "description": {"type": "string", "maxLength": 2000},
    "address": {"type": "string", "maxLength": 300},
    "email": {"type": "string", "format": "email", "description": "needed unless signed in"},
    "name": {"type": "string", "maxLength": 120},
    "show_name": {"type": "boolean"},
    "idempotency_key": {"type": "string", "format": "uuid"},
}
REPORT_BODY = {"type": "object", "properties": REPORT_FIELDS, "required": ["category", "lon", "lat"]}
REPORT_FORM = {
    **REPORT_BODY,
    "properties": {
        **REPORT_FIELDS,
        "photos": {"type": "array", "maxItems": 3, "items": {"type": "string", "format": "binary"}},
    },
}
SUPPORT_BODY = {
    "type": "object",
    "properties": {"email": {"type": "string", "format": "email", "description": "needed unless signed in"}},
}
SUPPORT_ANSWER = {
    "type": "object",
    "properties": {
        "added": {"type": "boolean", "description": "false when this person already supports the report"},
        "confirmed": {"type": "boolean", "description": "counted; false until the emailed link is opened"},
        "confirmation": {
            "type": "string",
            "enum": ["not needed", "sent", "pending"],
            "description": "sent: a link was emailed now; pending: one was emailed before and is not yet opened",
        },
        "supporters": {"type": "integer", "description": "the count: the reporter and confirmed supporters"},
    },
    "required": ["added", "confirmed", "confirmation", "supporters"],
}


@extend_schema(responses={200: schema.LIST_OF_OBJECTS})
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def categories(request):
    """What can be reported, with the deadlines the city commits to."""
    return Response([_category(c) for c in Category.objects.filter(active=True)])


def _category(c: Category) -> dict:
    lang = get_language()
    return {
        "slug": c.slug,
        "group": c.group,
        "group_label": str(c.get_group_display()),
        "name": c.name,
        "icon": c.icon,
        "department": c.department.name_en if lang == "en" else c.department.name_ka,
        "respond_within": deadlines.deadline_text(c.response_amount, c.response_unit),
        "resolve_within": deadlines.deadline_text(c.resolution_amount, c.resolution_unit),
        "questions": [
            {
                "key": q["key"],
                "label": q.get("label_en" if lang == "en" else "label_ka", q["key"]),
                "choices": [{"value": ch[0], "label": ch[2] if lang == "en" else ch[1]} for ch in q.get("choices", [])],
            }
            for q in c.questions
        ],
    }


@extend_schema(
    parameters=[
        OpenApiParameter("lon", {"type": "number", "minimum": -180, "maximum": 180}, required=True),
        OpenApiParameter("lat", {"type": "number", "minimum": -90, "maximum": 90}, required=True),
        OpenApiParameter("category", OpenApiTypes.STR, description="a category's slug"),
    ],
    responses={200: schema.LIST_OF_OBJECTS},
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def nearby(request):
    """Open reports of the same category close by: 'is it one of these?' before filing a duplicate."""
    try:
        lon, lat = parse_lonlat_pair(request.query_params.get("lon", ""), request.query_params.get("lat", ""))
    except ValueError as exc:
        return bad_request(str(exc), "location")
    from django.contrib.gis.geos import Point

    here = Point(lon, lat, srid=4326)
    reports = (
        Report.objects.public()
        .open()
        .filter(category__slug=request.query_params.get("category", ""))
        # A box of ±0.002° (~200 m) lets the GiST index find candidates; the exact test is metres
        # on the spheroid, never degrees taken for metres.
        .filter(point__dwithin=(here, 0.002))
        .annotate(distance=Distance("point", here))
        .filter(distance__lte=D(m=NEARBY_METRES))
        .order_by("distance")[:5]
    )
    return Response(
        [
            {
                "reference": r.reference,
                "title": r.title,
                "status": r.get_status_display(),
                "distance_m": round(r.distance.m),
                "supporters": r.supporters_count,
                "url": r.get_absolute_url(),
            }
            for r in reports
        ]
    )


@extend_schema(
    request={"multipart/form-data": REPORT_FORM, "application/json": REPORT_BODY},
    responses={201: schema.OBJECT, 200: schema.OBJECT, **schema.error_responses(403, 429)},
)
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
@parser_classes([MultiPartParser, FormParser, JSONObjectParser])
def submit(request):
    """File a report (multipart with up to three `photos`); a repeated idempotency_key answers 200."""
    try:
        new = parse_report(request.data, request.FILES.getlist("photos"), user=request.user, ip=client_ip(request))
    except ReportInputError as exc:
        response = Response(
            {
                "detail": exc.message,
                "code": "invalid" if exc.status == 400 else "refused",
                "errors": {exc.field: [exc.message]},
            },
            status=exc.status,
        )
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    report, created = do_submit_report(new, user=request.user, ip=client_ip(request), language=get_language())
    body = detail_body(report)
    body["confirmation"] = "not needed" if report.confirmed_at else "sent"
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def detail_body(report: Report) -> dict:
    return {
        "reference": report.reference,
        "url": report.get_absolute_url(),
        "status": report.status,
        "status_label": report.get_status_display(),
        "category": report.category.name,
        "confirmed": report.is_public,
        "clocks": deadlines.clocks(report) if report.confirmed_at else [],
        "supporters": report.supporters_count,
        "reporter": report.public_reporter,
    }


@extend_schema(responses={200: schema.OBJECT})
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def detail(request, reference):
    report = access_public_report(reference)
    body = detail_body(report)
    body["timeline"] = [_entry(u) for u in report.updates.filter(internal=False).select_related("actor_department")]
    body["photos"] = [request.build_absolute_uri(p.public.url) for p in report.photos.all() if p.is_public]
    return Response(body)


def _entry(update) -> dict:
    """One public timeline entry; `by` in the request's language, `by_role` the stored code."""
    return {
        "kind": update.kind,
        "status": update.new_status,
        "by": update.by,
        "by_role": update.actor_role,
        "department": update.actor_department.slug if update.actor_department_id else None,
        "text": update.public_text,
        "at": update.created_at,
    }


@extend_schema(
    request={"application/json": SUPPORT_BODY, "application/x-www-form-urlencoded": SUPPORT_BODY},
    responses={200: SUPPORT_ANSWER, **schema.error_responses(403, 429)},
)
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def support(request, reference):
    """'I have this problem too'. A verified account's support counts at once; an email's once its
    owner opens the link we send (`confirmation: "sent"`). One per account and per address; supports
    waiting for their link are limited per connection and per address (429 with Retry-After)."""
    report = access_public_report(reference)
    email = supporter_address(request.data.get("email", ""))
    if not request.user.is_authenticated and not email:
        return bad_request(_("Sign in or give your email to add your support."), "email")
    try:
        done = do_support(report, user=request.user, email=email, ip=client_ip(request), language=get_language())
    except SupportRefused as exc:
        response = Response({"detail": exc.message, "code": "throttled" if exc.status == 429 else "refused"})
        response.status_code = exc.status
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    return Response(
        {
            "added": done.added,
            "confirmed": not done.pending,
            "confirmation": ("sent" if done.added else "pending") if done.pending else "not needed",
            "supporters": Report.objects.get(pk=report.pk).supporters_count,
        }
    )
