from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from layers.models import Event


@admin.register(Event)
class EventAdmin(LeafletGeoAdmin):
    list_display = ["recorded_at", "layer", "item_ref", "kind", "old_status", "new_status", "district", "occurred_at"]
    list_filter = ["layer", "kind", "district", "is_demo"]
    search_fields = ["item_ref", "title"]
    date_hierarchy = "recorded_at"

    # The event log is an audit trail: nobody edits history by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
