"""Staff edit layer items and project pages here, with map widgets.

Fields that came from a register import are read-only for imported items: the register is the
source of truth and the next import would overwrite a hand edit anyway. Every save goes through
layers.actions.do_save_item, so it lands in the timeline and reaches subscribers.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from layers.actions import do_save_item
from layers.models import (
    ConstructionPermit,
    Feed,
    GazetteerEntry,
    ImportRun,
    InfrastructureProject,
    ProjectMilestone,
    ProjectPhoto,
    TreePermit,
)

# Staff-written context that no register carries: editable even on imported items.
EDITORIAL = {"description", "consultation_info", "body", "compensation_photo", "compensation_planted", "documents"}
SYSTEM = ("point", "district", "status_since", "source", "external_id", "withdrawn_at", "created_at", "updated_at")


class MapItemAdmin(LeafletGeoAdmin):
    list_display = ["reference", "title", "status", "district", "status_since", "source", "is_demo", "withdrawn_at"]
    list_filter = ["status", "district", "source", "is_demo"]
    search_fields = ["reference", "title", "address", "external_id"]
    date_hierarchy = "status_since"
    readonly_fields = SYSTEM

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_imported:
            editable = EDITORIAL
            return [f.name for f in obj._meta.fields if f.name not in editable and f.name != "id"]
        return list(SYSTEM)

    def save_model(self, request, obj, form, change):
        old_status = form.initial.get("status") if change else None
        do_save_item(obj, actor=request.user, changed=list(form.changed_data), old_status=old_status)


@admin.register(ConstructionPermit)
class ConstructionPermitAdmin(MapItemAdmin):
    search_fields = [*MapItemAdmin.search_fields, "applicant_org", "cadastral_codes"]


@admin.register(TreePermit)
class TreePermitAdmin(MapItemAdmin):
    list_display = [*MapItemAdmin.list_display[:3], "kind", "tree_count", "compensation_planted"]


class MilestoneInline(admin.TabularInline):
    model = ProjectMilestone
    extra = 1


class PhotoInline(admin.TabularInline):
    model = ProjectPhoto
    extra = 1


@admin.register(InfrastructureProject)
class InfrastructureProjectAdmin(MapItemAdmin):
    list_display = ["reference", "title", "status", "progress", "agency", "planned_end", "is_demo"]
    prepopulated_fields = {"slug": ["reference"]}
    inlines = [MilestoneInline, PhotoInline]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.is_imported else self.prepopulated_fields


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "layer",
        "source",
        "file_name",
        "outcome",
        "rows_read",
        "created",
        "updated",
        "unchanged",
        "withdrawn",
        "rejected",
        "started_by",
    ]
    list_filter = ["layer", "outcome", "source", "started_via"]
    date_hierarchy = "started_at"

    # The record of what was imported is evidence: nobody edits or deletes it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["name", "layer", "url", "every_minutes", "enabled", "last_checked_at", "last_run"]
    list_filter = ["layer", "enabled"]
    readonly_fields = ["last_checked_at", "etag", "last_modified", "last_run"]
    actions = ["check_now"]

    @admin.action(description=_("Check the selected feeds now"))
    def check_now(self, request, queryset):
        from layers.tasks import import_feed

        for feed in queryset:
            import_feed.delay(feed.pk)
        self.message_user(request, _("Queued %(count)d feed(s).") % {"count": queryset.count()})


@admin.register(GazetteerEntry)
class GazetteerEntryAdmin(LeafletGeoAdmin):
    list_display = ["name_ka", "name_en", "kind", "district", "source", "is_demo"]
    list_filter = ["kind", "source", "is_demo"]
    search_fields = ["name_ka", "name_en", "search_text"]
    readonly_fields = ["search_text"]
