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


def _mine(user):
    from django.db.models import Q

    return Subscription.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def export(user) -> dict:
    subscriptions = _mine(user).select_related("district").order_by("created_at")
    return {
        "subscriptions": [
            {
                "name": s.name,
                "email": s.email,
                "area": s.area_kind,
                "district": s.district.slug if s.district_id else None,
                "drawn_area": s.geom.geojson if s.geom else None,
                "item": f"{s.item_layer}:{s.item_id}" if s.item_id else None,
                "topics": s.topics,
                "frequency": s.frequency,
                "created_at": s.created_at,
                "unsubscribed_at": s.unsubscribed_at,
            }
            for s in subscriptions
        ],
        "notifications": list(
            Delivery.objects.filter(subscription__in=subscriptions)
            .order_by("created_at")
            .values("event__title", "event__url", "status", "created_at", "read_at")
        ),
    }


def follow_email_change(sender, request, user, from_email_address, to_email_address, **kwargs):
    if from_email_address is not None:
        Subscription.objects.filter(user=user, email__iexact=from_email_address.email).update(
            email=to_email_address.email
        )


def erase(user) -> None:
    """Subscriptions go, with their ledger rows; so do the records of confirmation emails asked for."""
    from subscriptions.models import ConfirmationRequest

    _mine(user).delete()
    ConfirmationRequest.objects.filter(email__iexact=user.email).delete()


def register_sections():
    from accounts.sections import ProfileSection, register

    register(
        ProfileSection(
            "subscriptions",
            20,
            "subscriptions/_profile_subscriptions.html",
            subscriptions_context,
            export=export,
            erase=erase,
        )
    )
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
