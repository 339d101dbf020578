"""The subscriptions' part of "My Smart Map": my subscriptions and my notifications, and their buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from subscriptions import actions
from subscriptions.models import Delivery, Subscription


def subscriptions_context(request) -> dict:
    subscriptions = (
        Subscription.objects.filter(user=request.user, unsubscribed_at__isnull=True)
        .exclude(area_kind=Subscription.Area.ITEM, item_layer="forum")
        .select_related("district")
    )
    return {"subscriptions": subscriptions}


def notifications_context(request) -> dict:
    notifications = (
        Delivery.objects.filter(subscription__user=request.user)
        .select_related("event", "event__district", "subscription")
        .order_by("-created_at")[:50]
    )
    return {"notifications": notifications}


def register_sections():
    from accounts.sections import ProfileSection, register

    register(ProfileSection("subscriptions", 20, "subscriptions/_profile_subscriptions.html", subscriptions_context))
    register(ProfileSection("notifications", 40, "subscriptions/_profile_notifications.html", notifications_context))


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
        actions.do_unsubscribe(subscription)
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
