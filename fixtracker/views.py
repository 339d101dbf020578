"""Public Fix-Tbilisi pages: the report page, the reporting page, confirmation, reporter actions."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.tokens import consume_quietly, link_state
from fixtracker import deadlines
from fixtracker.access import access_public_report, role_for
from fixtracker.actions.lifecycle import Change, do_change_status
from fixtracker.actions.submitting import do_confirm_report, do_submit_report
from fixtracker.actions.support import SupportRefused, do_confirm_support, do_support, supporter_address
from fixtracker.models import Category, Report, Supporter
from fixtracker.notifications import CONFIRM_REPORT, CONFIRM_SUPPORT
from fixtracker.photos import PhotoError, check_upload
from fixtracker.submission import ReportInputError, parse_report
from fixtracker.workflow import TransitionError
from smartmap.lib.http import client_ip
from smartmap.sharing import share_for
from smartmap.views import message

CONFIRM_MAX_AGE = 7 * 24 * 3600


@require_http_methods(["GET", "POST"])
def report_page(request):
    """The phone-first reporting flow (the page script does the steps; see static/js/report.js).

    The same form also works without JavaScript (a failed download on a weak connection, a
    locked-down browser): it posts here, through the checks every other way in uses.
    """
    if request.method == "POST":
        return _submit_without_javascript(request)
    return _report_form(request)


def _report_form(request, data=None, errors=None, status=200):
    errors = errors or {}
    # The same key through every resend of one form: a second click on "send" files nothing new.
    key = (data or {}).get("idempotency_key")
    if not key or "idempotency_key" in errors:
        key = uuid.uuid4()
    return render(
        request,
        "fixtracker/report_form.html",
        {"categories": Category.objects.filter(active=True), "data": data, "errors": errors, "idempotency_key": key},
        status=status,
    )


def _submit_without_javascript(request):
    files = request.FILES.getlist("photos")
    data = _with_photo_location(request.POST, files)
    try:
        new = parse_report(data, files, user=request.user, ip=client_ip(request))
    except ReportInputError as exc:
        return _report_form(request, data, {exc.field: exc.message}, status=exc.status)
    report, _created = do_submit_report(new, user=request.user, ip=client_ip(request), language=get_language())
    if report.confirmed_at:
        messages.success(request, _("Thank you: your report is public and the service's clock is running."))
        return redirect(report.get_absolute_url())
    messages.success(
        request,
        _("Report %(reference)s is saved. Check your email and open the link we sent to confirm it.")
        % {"reference": report.reference},
    )
    return redirect("fixtracker:report-form")


def _with_photo_location(post, files):
    """Without the map, the position in a photo's EXIF (if the camera wrote one) stands for the pin."""
    if post.get("lon") and post.get("lat"):
        return post
    for upload in files:
        try:
            gps = check_upload(upload).gps  # parse_report checks each photo again, with its message
        except PhotoError:
            continue
        if gps is not None:
            data = post.copy()
            data["lon"], data["lat"] = f"{gps.x:.6f}", f"{gps.y:.6f}"
            return data
    return post


def report_detail(request, reference):
    report = access_public_report(reference)
    if reference != report.reference:
        return redirect(report.get_absolute_url(), permanent=True)
    updates = report.updates.filter(internal=False).select_related("actor_department").prefetch_related("photos")
    return render(
        request,
        "fixtracker/report_detail.html",
        {
            "report": report,
            "clocks": deadlines.clocks(report),
            "updates": updates,
            "photos": [p for p in report.photos.filter(kind="report") if p.is_public],
            "role": role_for(request.user, report),
            "Status": Report.Status,
            "share": share_for(
                request,
                f"{report.category.name} — {report.reference}",
                " · ".join(str(p) for p in (report.category.name, report.get_status_display(), report.address) if p),
                path=report.get_absolute_url(),
                geom=report.geom,
                district=report.district,
            ),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    state, report_id = link_state(token, CONFIRM_REPORT, CONFIRM_MAX_AGE)
    if state == "used":
        return message(request, _("Already confirmed"), _("This report is already confirmed."))
    if state == "invalid":
        return message(
            request, _("This link does not work"), _("The link is broken or has expired. Send the report again."), 400
        )
    report = get_object_or_404(Report, pk=int(report_id))
    if request.method != "POST":
        return render(request, "fixtracker/confirm.html", {"report": report})
    consume_quietly(token, CONFIRM_REPORT, CONFIRM_MAX_AGE)
    report = do_confirm_report(report)
    messages.success(request, _("Thank you: your report is public and the service's clock is running."))
    return redirect(report.get_absolute_url())


@require_POST
def reporter_action(request, reference):
    """The reporter answers a request for information, confirms the fix, or disputes it."""
    report = access_public_report(reference)
    if role_for(request.user, report) not in ("reporter", "admin"):
        raise Http404
    action = request.POST.get("action")
    text = request.POST.get("text", "")
    target = {
        "answer": Report.Status.ACKNOWLEDGED,
        "confirm": Report.Status.CLOSED,
        "dispute": Report.Status.IN_PROGRESS,
    }.get(action)
    if target is None:
        raise Http404
    try:
        do_change_status(report, Change(status=target, text=text, reason="fixed"), actor=request.user, role="reporter")
    except TransitionError as exc:
        messages.error(request, str(exc))
    return redirect(report.get_absolute_url())


@require_POST
def support_form(request, reference):
    report = access_public_report(reference)
    email = supporter_address(request.POST.get("email", ""))
    if not request.user.is_authenticated and not email:
        messages.error(request, _("Sign in or give your email to add your support."))
        return redirect(report.get_absolute_url())
    try:
        support = do_support(report, user=request.user, email=email, ip=client_ip(request), language=get_language())
    except SupportRefused as exc:
        messages.error(request, exc.message)
        return redirect(report.get_absolute_url())
    if support.pending:
        messages.info(request, _("Check your email and open the link we sent: your support is counted then."))
    elif support.added:
        messages.success(request, _("Thank you: your support is counted."))
    else:
        messages.info(request, _("You already support this report."))
    return redirect(report.get_absolute_url())


@require_http_methods(["GET", "POST"])
def confirm_support(request, token):
    """The emailed link of a support: a page with a button (mail scanners follow links), then counted."""
    state, supporter_id = link_state(token, CONFIRM_SUPPORT, CONFIRM_MAX_AGE)
    if state == "invalid":
        return message(request, _("This link does not work"), _("The link is broken or has expired."), 400)
    supporter = get_object_or_404(Supporter.objects.select_related("report__category"), pk=int(supporter_id))
    if state == "used":
        return message(request, _("Already confirmed"), _("Your support of this report is already counted."))
    if request.method != "POST":
        return render(request, "fixtracker/confirm_support.html", {"report": supporter.report})
    consume_quietly(token, CONFIRM_SUPPORT, CONFIRM_MAX_AGE)
    do_confirm_support(supporter.pk)
    messages.success(request, _("Thank you: your support is counted."))
    return redirect(supporter.report.get_absolute_url())
