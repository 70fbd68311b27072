"""Read-only views of the rights data for agents. Money moves only through the services (and their checks)."""

from django.contrib import admin

from opencpf.rights.models import (
    EmploymentDeclaration,
    Engagement,
    LedgerEntry,
    RightsAccount,
    SelfEmployedDeclaration,
    TopUp,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RightsAccount)
class RightsAccountAdmin(ReadOnlyAdmin):
    list_display = ("holder", "acquired", "top_ups", "cap", "closed_on", "updated_at")
    search_fields = ("holder__nir", "holder__last_name")
    list_select_related = ("holder",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("effective_on", "holder", "kind", "bucket", "amount", "year", "dossier_id", "agent")
    list_filter = ("kind", "bucket")
    search_fields = ("holder__nir",)
    list_select_related = ("holder", "agent")
    raw_id_fields = ("holder", "top_up", "agent")


@admin.register(TopUp)
class TopUpAdmin(ReadOnlyAdmin):
    list_display = ("holder", "funder_name", "funder_kind", "amount", "remaining", "expires_on", "created_at")
    list_filter = ("funder_kind",)
    search_fields = ("holder__nir", "funder_name")
    list_select_related = ("holder",)


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("holder", "dossier_id", "bucket", "top_up", "amount", "restored", "forfeited")
    search_fields = ("holder__nir",)


@admin.register(EmploymentDeclaration)
class EmploymentDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("holder", "employer_siret", "year", "hours_worked", "reference_hours", "source")
    list_filter = ("year",)
    search_fields = ("holder__nir", "employer_siret")
    list_select_related = ("holder",)


@admin.register(SelfEmployedDeclaration)
class SelfEmployedDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("holder", "year", "months", "contribution_paid", "source")
    list_filter = ("year",)
    search_fields = ("holder__nir",)
    list_select_related = ("holder",)
