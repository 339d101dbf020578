"""The resident's own page: notifications, subscriptions, and (as they arrive) reports and posts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscriptions import actions as subscription_actions
from subscriptions.models import Delivery, Subscription


@login_required
def profile(request):
    subscriptions = Subscription.objects.filter(user=request.user, unsubscribed_at__isnull=True).select_related(
        "district"
    )
    notifications = (
        Delivery.objects.filter(subscription__user=request.user)
        .select_related("event", "event__district", "subscription")
        .order_by("-created_at")[:50]
    )
    from fixtracker.models import Report

    reports = Report.objects.filter(reporter=request.user).select_related("category").order_by("-created_at")[:50]
    return render(
        request,
        "accounts/profile.html",
        {"subscriptions": subscriptions, "notifications": notifications, "reports": reports},
    )


@login_required
@require_POST
def subscription_action(request, pk):
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user, unsubscribed_at__isnull=True)
    action = request.POST.get("action")
    if action == "pause":
        subscription.paused = True
    elif action == "resume":
        subscription.paused = False
    elif action == "rename":
        subscription.name = request.POST.get("name", "").strip()[:120]
    elif action == "delete":
        subscription_actions.do_unsubscribe(subscription)
        messages.success(request, _("The subscription is deleted."))
        return redirect("profile")
    subscription.save()
    messages.success(request, _("Your changes are saved."))
    return redirect("profile")


@login_required
@require_POST
def mark_read(request):
    Delivery.objects.filter(subscription__user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("profile")
