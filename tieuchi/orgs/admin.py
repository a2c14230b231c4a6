"""Admin screens for system administrators: units, lineage, organisations, people, memberships."""

from django.contrib import admin

from tieuchi.orgs.models import (
    AdminUnit,
    LegalDocument,
    Membership,
    Organisation,
    Person,
    UnitLineage,
)


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("official_code", "name", "unit_type", "parent", "valid_from", "valid_to")
    list_filter = ("level", "unit_type")
    search_fields = ("official_code", "name")
    raw_id_fields = ("parent", "established_by")


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_date")
    raw_id_fields = ("predecessor", "successor", "basis")


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "doc_type", "issuer", "issued_on")
    search_fields = ("number", "title", "issuer")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "admin_unit")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    raw_id_fields = ("admin_unit", "represents_unit")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("short_name", "full_name", "title", "organisation", "user")
    search_fields = ("short_name", "full_name")
    raw_id_fields = ("organisation", "user")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    raw_id_fields = ("user", "unit")
