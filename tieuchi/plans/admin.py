"""Plans are edited through the plan pages (with audit); the admin lists them for support."""

from django.contrib import admin

from tieuchi.plans.models import Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "unit", "catalog", "period_start", "period_end", "status")
    list_filter = ("status",)
    readonly_fields = ("source_file",)
    raw_id_fields = ("unit", "catalog", "legal_document", "parent_document", "parent_plan")
