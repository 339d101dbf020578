from django.contrib import admin

from moderation.models import AuditEntry, Flag


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: browse and search, never add, change or delete (export: /moderation/audit/?format=csv)."""

    list_display = ["created_at", "actor_label", "action", "target_kind", "target_id", "reason"]
    list_filter = ["action", "target_kind"]
    search_fields = ["actor_label", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["created_at", "target_kind", "target_id", "reason", "resolved_at"]
    list_filter = ["reason", "target_kind"]
