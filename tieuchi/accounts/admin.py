"""Admin for users and a read-only view of the audit log (system administrators only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tieuchi.accounts.models import AuditEvent, User


@admin.register(User)
class TieuchiUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Thông tin thêm", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "email", "is_active", "is_superuser")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "channel", "action", "object_type", "object_repr")
    list_filter = ("channel", "object_type")
    search_fields = ("object_repr", "action", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
