"""Catalogs are loaded from data files; the admin only shows them (edits belong in the YAML)."""

from django.contrib import admin

from tieuchi.catalog.models import Catalog


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ("key", "version", "name", "kind", "legal_document", "loaded_at")
    readonly_fields = [field.name for field in Catalog._meta.fields]

    def has_add_permission(self, request):
        return False
