"""Flagging (any signed-in person), the one moderator queue, and the audit log for admins."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moderation import actions, targets
from moderation.models import AuditEntry, Flag
from smartmap.views import message


def _is_moderator(user) -> bool:
    return user.is_authenticated and (user.is_moderator or user.is_superuser)


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def _back(request, default="/"):
    back = request.POST.get("next", "")
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else default


@login_required
@require_POST
def flag(request):
    kind, target_id = request.POST.get("kind", ""), _int(request.POST.get("id"))
    try:
        actions.do_flag(kind, target_id, user=request.user, reason=request.POST.get("reason", ""))
    except actions.ModerationError as exc:
        return message(request, _("Not flagged"), exc.message, status=exc.status)
    return message(request, _("Thank you"), _("A moderator will look at it."), back=_back(request))


def queue(request):
    if not _is_moderator(request.user):
        raise PermissionDenied
    groups = (
        Flag.objects.filter(resolved_at__isnull=True)
        .values("target_kind", "target_id")
        .annotate(flags=Count("id"), first=Min("created_at"))
        .order_by("-flags", "first")[:100]
    )
    items = []
    for group in groups:
        target = targets.get(group["target_kind"])
        obj = target.load(group["target_id"]) if target else None
        if obj is None:
            continue
        described = target.describe(obj)
        reasons = Flag.objects.filter(
            target_kind=group["target_kind"], target_id=group["target_id"], resolved_at__isnull=True
        ).values_list("reason", flat=True)
        items.append(
            {
                **group,
                **described,
                "label": target.label,
                "can_edit": target.edit_out is not None,
                "reasons": sorted({str(Flag.Reason(r).label) for r in reasons}),
                "history": target.author_history(described["author_id"]) if target.author_history else {},
            }
        )
    return render(request, "moderation/queue.html", {"items": items, "reasons": Flag.Reason.choices})


@require_POST
def act(request):
    if not _is_moderator(request.user):
        raise PermissionDenied
    kind, target_id, action = request.POST.get("kind", ""), _int(request.POST.get("id")), request.POST.get("action")
    try:
        if action == "keep":
            actions.do_keep(kind, target_id, moderator=request.user)
        elif action == "hide":
            actions.do_hide(kind, target_id, moderator=request.user, reason=request.POST.get("reason", ""))
        elif action == "edit_out":
            actions.do_edit_out(kind, target_id, moderator=request.user, text=request.POST.get("text", ""))
        elif action == "block":
            actions.do_block(
                kind,
                target_id,
                moderator=request.user,
                reason=request.POST.get("why", ""),
                period=request.POST.get("for", ""),
            )
        else:
            raise actions.ModerationError(_("Unknown action."))
    except actions.ModerationError as exc:
        return message(request, _("Not done"), exc.message, status=exc.status)
    return redirect("moderation:queue")


def audit_log(request):
    if not (request.user.is_authenticated and (request.user.is_superuser or request.user.is_staff)):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        writer = csv.writer(response)
        writer.writerow(["when", "who", "what", "kind", "id", "why"])
        for e in entries.iterator():
            writer.writerow([e.created_at.isoformat(), e.actor_label, e.action, e.target_kind, e.target_id, e.reason])
        return response
    return render(request, "moderation/audit.html", {"entries": entries[:500]})
