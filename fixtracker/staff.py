"""Staff pages: the department's queue by deadline, a report's full record, and the actions on it.

Every view asks fixtracker.access first; staff of another department get 404 for a report that
is not theirs. Views only validate the form and call an action from fixtracker.actions.
"""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Department, User
from fixtracker import deadlines
from fixtracker.access import access_report_as_staff, is_staff_member
from fixtracker.actions import casework, moderation
from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.models import Category, Report, ReportPhoto, ResponseTemplate
from fixtracker.photos import PhotoError, check_upload
from fixtracker.workflow import TransitionError, allowed, in_order, next_step
from layers.filters import like_escape
from layers.gazetteer import nearest_street
from places.models import District
from smartmap.lib.params import parse_day, parse_district
from smartmap.views import message

QUEUE_PAGE = 50


@dataclass
class QueuePage:
    """One page of the queue, read as QUEUE_PAGE + 1 rows: the extra row says whether a next page
    exists. No exact count: counting 100,000 open reports on every view cost more than the page itself."""

    rows: list
    number: int
    has_next: bool

    @classmethod
    def of(cls, reports, number) -> "QueuePage":
        number = int(number) if str(number or "").isdigit() and int(number) > 0 else 1
        rows = list(reports[(number - 1) * QUEUE_PAGE : number * QUEUE_PAGE + 1])
        return cls(rows[:QUEUE_PAGE], number, len(rows) > QUEUE_PAGE)

    def __iter__(self):
        return iter(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _staff_only(user):
    if not is_staff_member(user):
        raise Http404


class QueueFilterError(ValueError):
    pass


# Each order the queue offers, with its tie-breaker; each is served by an index (report_next_due_idx,
# report_confirmed_idx) on (department, key, id).
SORTS = {
    "due": (F("next_due_at").asc(nulls_last=True), "id"),
    "newest": ("-confirmed_at", "-id"),
    "oldest": ("confirmed_at", "id"),
}
SEARCH_SQL = "(fixtracker_report.reference || ' ' || fixtracker_report.title || ' ' || fixtracker_report.address)"


def queue_for(user, params) -> tuple:
    """The reports a staff member sees, nearest deadline first (or as `sort` says), with the filters
    applied. A filter naming something that does not exist raises QueueFilterError."""
    reports = (
        Report.objects.filter(confirmed_at__isnull=False)
        .select_related("category", "district", "department")
        # Not the district's boundary: fetching and parsing it for each of 51 rows was most of the page's query.
        .defer("geom", "district__geom", "description", "answers")
    )
    mine = list(user.departments.values_list("id", "slug"))
    everyone = user.is_superuser or user.is_moderator
    if params.get("department"):
        slug = params["department"].strip()
        ids = (
            list(Department.objects.filter(slug=slug).values_list("id", flat=True))
            if everyone
            else [i for i, s in mine if s == slug]
        )
        if not ids:
            raise QueueFilterError(_("There is no department %(name)s in your queue.") % {"name": slug[:60]})
        reports = reports.filter(department_id=ids[0])
    elif not everyone:
        # Ids, not a subquery: with a literal list the planner walks report_next_due_idx in order.
        reports = reports.filter(department_id__in=[i for i, _s in mine])
    status = params.get("status", "open")
    if status not in ("open", "") and status not in Report.Status.values:
        raise QueueFilterError(_("There is no status %(name)s.") % {"name": status[:60]})
    reports = reports.open() if status == "open" else reports.filter(status=status) if status else reports
    if params.get("category"):
        if not Category.objects.filter(slug=params["category"]).exists():
            raise QueueFilterError(_("There is no category %(name)s.") % {"name": params["category"][:60]})
        reports = reports.filter(category__slug=params["category"])
    if params.get("district"):
        try:
            key = parse_district(params["district"])
        except ValueError as exc:
            raise QueueFilterError(str(exc)) from None
        district = District.objects.filter(**{"number" if isinstance(key, int) else "slug": key}).first()
        if district is None:
            raise QueueFilterError(_("There is no district %(name)s.") % {"name": str(key)[:60]})
        reports = reports.filter(district_id=district.pk)
    if params.get("overdue"):
        reports = reports.filter(deadlines.overdue_q(timezone.now()))
    if params.get("mine"):
        reports = reports.filter(assigned_to=user)
    q = " ".join(params.get("q", "").split())[:100]
    if q:
        if len(q) < 3:
            raise QueueFilterError(_("Type at least 3 characters to search."))
        # The expression of the trigram index report_search_trgm_idx (fixtracker migration 0003).
        reports = reports.extra(where=[f"{SEARCH_SQL} ILIKE %s"], params=[f"%{like_escape(q)}%"])
    sort = params.get("sort") or "due"
    if sort not in SORTS:
        raise QueueFilterError(_("The queue cannot be sorted by %(name)s.") % {"name": sort[:60]})
    return deadlines.with_states_sql(reports.order_by(*SORTS[sort])), status


def _query_string(params, **change) -> str:
    kept = {k: v for k, v in params.items() if k in QUERY_KEYS and v}
    kept.update(change)
    return urlencode(kept)


QUERY_KEYS = ("status", "department", "category", "district", "overdue", "mine", "q", "sort")


@login_required
def queue(request):
    _staff_only(request.user)
    try:
        reports, status = queue_for(request.user, request.GET)
    except QueueFilterError as exc:
        return message(request, _("This queue cannot be shown"), str(exc), status=400)
    page = QueuePage.of(reports, request.GET.get("page"))
    now = timezone.now()
    markers = [
        {
            "ref": r.reference,
            "lat": r.point.y,
            "lon": r.point.x,
            "state": r.marker_state,
            "title": r.title,
            "url": f"/{request.LANGUAGE_CODE}/staff/reports/{r.reference}/",
        }
        for r in page
        if r.point is not None  # an imported report without a place is listed, but has no marker
    ]
    params = {**{k: request.GET.get(k, "") for k in QUERY_KEYS}, "status": status}
    return render(
        request,
        "fixtracker/staff_queue.html",
        {
            "page": page,
            "status": status,
            "Status": Report.Status,
            "params": params,
            "sorts": [("due", _("next deadline")), ("newest", _("newest")), ("oldest", _("oldest"))],
            "departments": Department.objects.all()
            if request.user.is_superuser or request.user.is_moderator
            else request.user.departments.all(),
            "categories": Category.objects.all(),
            "districts": District.objects.order_by("number").only("slug", "name_ka", "name_en"),
            "previous_query": _query_string(request.GET, status=status, page=page.number - 1),
            "next_query": _query_string(request.GET, status=status, page=page.number + 1),
            "markers": json.dumps(markers),
            "rows": [(r, deadlines.clocks_from_sql(r, now)) for r in page],
        },
    )


STATUS_FIELDS = ("status", "text", "reason", "referred_to", "duplicate_of", "scheduled_for")


@login_required
def report(request, reference):
    report, role = access_report_as_staff(request.user, reference)
    return _report_page(request, report, role)


def _report_page(request, report, role, posted=None, status=200):
    """The report's page; after a refused status change, `posted` is what was typed and chosen, so
    the form comes back as it was sent (all but the files, which a browser cannot be given back)."""
    moves = in_order(allowed(role, report.status))
    form = {key: "" for key in STATUS_FIELDS}
    form["status"] = next_step(role, report.status)
    if posted is not None:
        form.update({key: posted.get(key, "") for key in STATUS_FIELDS})
    # The place: an imported report may have none; a drawn area is shown by a point on its surface.
    where = report.point or (report.geom.point_on_surface if report.geom else None)
    return render(
        request,
        "fixtracker/staff_report.html",
        {
            "report": report,
            "role": role,
            "where": where,
            "street": nearest_street(where),
            "clocks": deadlines.clocks(report),
            "updates": report.updates.select_related("actor", "actor_department").prefetch_related("photos"),
            "photos": report.photos.all(),
            "moves": moves,
            "form": form,
            "Status": Report.Status,
            "CloseReason": Report.CloseReason,
            "colleagues": User.objects.filter(memberships__department=report.department).distinct(),
            "departments": Department.objects.exclude(pk=report.department_id),
            "templates": ResponseTemplate.objects.filter(category__in=[report.category_id, None]).order_by("title"),
        },
        status=status,
    )


@login_required
@require_POST
def action(request, reference):
    report, role = access_report_as_staff(request.user, reference)
    kind = request.POST.get("action")
    try:
        _act(request, report, role, kind)
    except (TransitionError, PhotoError) as exc:
        messages.error(request, str(exc))
        if kind == "status":  # the page again, with what was typed and chosen
            return _report_page(request, report, role, posted=request.POST, status=400)
    else:
        messages.success(request, _("Saved."))
    return redirect("fixtracker:staff-report", reference=report.reference)


def _act(request, report, role, kind):
    post, user = request.POST, request.user
    if kind == "status":
        do_change_status(report, _change(post, request.FILES.getlist("proof")), actor=user, role=role)
    elif kind == "note":
        casework.do_add_note(report, post.get("text", ""), actor=user)
    elif kind == "assign":
        assignee = User.objects.filter(pk=post.get("assignee") or 0).first()
        casework.do_assign(report, assignee, actor=user)
    elif kind == "transfer":
        department = get_object_or_404(Department, pk=post.get("department") or 0)
        casework.do_transfer(report, department, actor=user, text=post.get("text", ""))
    elif kind in ("hide", "unhide") and role in ("moderator", "admin"):
        moderation.do_hide(report, actor=user, reason=post.get("text", ""), hidden=kind == "hide")
    elif kind == "block" and role in ("moderator", "admin"):
        moderation.do_block_reporter(report, actor=user, reason=post.get("text", ""))
    elif kind in ("hide_photo", "show_photo") and role in ("moderator", "admin"):
        photo = get_object_or_404(ReportPhoto, pk=post.get("photo") or 0, report=report)
        moderation.do_hide_photo(photo, actor=user, hidden=kind == "hide_photo")
    else:
        raise Http404


def _change(post, files) -> Change:
    duplicate_of = None
    if post.get("duplicate_of"):
        # Only public reports: an unconfirmed or hidden one (or another department's that is not
        # public) answers exactly as a reference that does not exist.
        duplicate_of = Report.objects.public().filter(reference=post["duplicate_of"].strip().upper()).first()
        if duplicate_of is None:
            raise TransitionError(_("There is no public report %(ref)s.") % {"ref": post["duplicate_of"]})
    scheduled = None
    if post.get("scheduled_for"):
        try:
            scheduled = parse_day(post["scheduled_for"])
        except ValueError as exc:
            raise TransitionError(_("The date is not valid: %(reason)s.") % {"reason": exc}) from None
    proof = []
    for upload in files:
        proof.append((upload, check_upload(upload).content_type))
    return Change(
        status=post.get("status", ""),
        text=post.get("text", ""),
        reason=post.get("reason", ""),
        referred_to=post.get("referred_to", ""),
        duplicate_of=duplicate_of,
        scheduled_for=scheduled,
        proof=proof,
    )


@login_required
def original_photo(request, pk):
    """The original upload, EXIF and all: for the department's staff and moderators only."""
    photo = get_object_or_404(ReportPhoto, pk=pk)
    access_report_as_staff(request.user, photo.report.reference)
    return FileResponse(photo.original.open("rb"), content_type=photo.content_type)
