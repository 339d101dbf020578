from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from subscriptions.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(LeafletGeoAdmin):
    list_display = ["id", "email", "name", "area_kind", "frequency", "confirmed_at", "paused", "unsubscribed_at"]
    list_filter = ["area_kind", "frequency", "paused", "language"]
    search_fields = ["email", "name"]
    readonly_fields = ["feed_token", "created_ip", "created_at", "confirmation_sent_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The ledger, for admins to see what was sent and what failed for good (and why)."""

    list_display = ["id", "subscription", "event", "status", "due_at", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["subscription__email", "message_id"]
    raw_id_fields = ["subscription", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
