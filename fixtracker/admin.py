"""Fix-Tbilisi in the admin: categories and their deadlines, routes, days off, templates, keys, blocks.

Reports themselves are worked on in the staff pages (with the state machine and the timeline);
the admin shows them read-only so that no status can change without its timeline entry.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from fixtracker.models import (
    Block,
    Category,
    CategoryRoute,
    DecreeDay,
    Open311Key,
    Report,
    ReportUpdate,
    ResponseTemplate,
)


class RouteInline(admin.TabularInline):
    model = CategoryRoute
    extra = 0


class TemplateInline(admin.StackedInline):
    model = ResponseTemplate
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "icon",
        "name_ka",
        "name_en",
        "group",
        "department",
        "response_amount",
        "response_unit",
        "resolution_amount",
        "resolution_unit",
        "active",
    ]
    list_filter = ["group", "department", "active"]
    list_editable = ["active"]
    search_fields = ["name_ka", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [RouteInline, TemplateInline]


@admin.register(DecreeDay)
class DecreeDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category"]
    list_filter = ["category"]


class UpdateInline(admin.TabularInline):
    model = ReportUpdate
    extra = 0
    fields = ["created_at", "kind", "old_status", "new_status", "actor", "public_text", "internal"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(LeafletGeoAdmin):
    list_display = [
        "reference",
        "category",
        "status",
        "department",
        "district",
        "confirmed_at",
        "resolution_due_at",
        "hidden_at",
    ]
    list_filter = ["status", "category__group", "department", "district"]
    search_fields = ["reference", "description", "address", "reporter_email"]
    date_hierarchy = "created_at"
    inlines = [UpdateInline]

    # Every change goes through the staff pages' actions, so that it lands on the timeline.
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "trusted", "active", "created_at"]
    list_editable = ["trusted", "active"]
    readonly_fields = ["key_hash", "created_at"]
    fields = ["name", "trusted", "active", "key_hash", "created_at"]

    def has_add_permission(self, request):
        return False  # keys are made by `manage.py open311_key`, which shows the key once


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason", "until", "created_by", "created_at"]
    search_fields = ["email", "ip", "user__email", "reason"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


admin.site.site_header = _("Smart Map Tbilisi administration")
